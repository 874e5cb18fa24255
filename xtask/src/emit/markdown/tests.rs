//! How each Markdown construct of a description is written for rustdoc (`check`: the text
//! in, the rustdoc Markdown and its one-line form out), and a property test: random
//! Markdown, written and then wrapped as the generator prints docs, reads as the same
//! document (`same_document`).

use expect_test::{Expect, expect};
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{block, inline};

/// The rustdoc Markdown of `markdown`, then its one-line form.
fn check(markdown: &str, expect: Expect) {
    expect.assert_eq(&format!(
        "{}\n--- inline:\n{}\n",
        block(markdown),
        inline(markdown)
    ));
}

#[test]
fn plain_text_stays_plain() {
    check(
        "Lists the builds of a project. Use continuationToken to page.",
        expect![[r#"
            Lists the builds of a project. Use continuationToken to page.
            --- inline:
            Lists the builds of a project. Use continuationToken to page.
        "#]],
    );
}

#[test]
fn characters_rustdoc_reads_more_into_are_escaped() {
    check(
        "Ids like [a] or [b](Name), <tag> & &amp;, 3 * 4, a|b, ~x~~, snake_case _edge_ \\ end",
        expect![[r#"
            Ids like \[a\] or b, &lt;tag> & &, 3 \* 4, a\|b, \~x\~\~, snake_case *edge* \\ end
            --- inline:
            Ids like \[a\] or b, &lt;tag> & &, 3 \* 4, a\|b, \~x\~\~, snake_case *edge* \\ end
        "#]],
    );
}

#[test]
fn emphasis_strong_strikethrough_and_code_are_kept() {
    check(
        "**Both parameters** are *required*; ~~old~~ `a*b` and ``code with ` tick``. \
         Nested: *_both_* and **bold***italic*.",
        expect![[r#"
            **Both parameters** are *required*; ~~old~~ `a*b` and ``code with ` tick``. Nested: <em>*both*</em> and **bold**<em>italic</em>.
            --- inline:
            **Both parameters** are *required*; ~~old~~ `a*b` and ``code with ` tick``. Nested: <em>*both*</em> and **bold**<em>italic</em>.
        "#]],
    );
}

#[test]
fn lists_nest_and_their_lines_stay_in_their_items() {
    check(
        "Rules:\n- one\nstill one\n  - nested\n    1. deep\n- two\n\n3. three\n4. four",
        expect![[r#"
            Rules:

            - one still one
              + nested
                1. deep
            - two

            3. three
            4. four
            --- inline:
            Rules: one still one nested deep; two three; four
        "#]],
    );
    check(
        "- a\n\n  second paragraph of a\n- b",
        expect![[r#"
        - a

          second paragraph of a

        - b
        --- inline:
        a second paragraph of a; b
    "#]],
    );
}

#[test]
fn headings_are_demoted_below_the_generated_sections() {
    check(
        "# Title\n ## How to query\nText.\n###### Deepest",
        expect![[r#"
        ## Title

        ### How to query

        Text.

        ###### Deepest
        --- inline:
        Title How to query Text. Deepest
    "#]],
    );
}

#[test]
fn code_blocks_are_text_and_never_doctests() {
    check(
        "Example:\n```json\n{\"a\": 1}\n```\n\n    indented code\n",
        expect![[r#"
            Example:

            ```text
            {"a": 1}
            ```

            ```text
            indented code
            ```
            --- inline:
            Example: `{"a": 1}` `indented code`
        "#]],
    );
}

#[test]
fn tables_are_kept() {
    check(
        "| name | meaning |\n|:--|--:|\n| `a` | x \\| y |\n| b | *c* |",
        expect![[r#"
            | name | meaning |
            | :-- | --: |
            | `a` | x \| y |
            | b | *c* |
            --- inline:
            name, meaning `a`, x \| y b, *c*
        "#]],
    );
}

#[test]
fn links_to_absolute_urls_are_kept_others_become_their_text() {
    check(
        "See [the docs](https://learn.microsoft.com/a b), [GetOperation](../../operations/get), \
         https://dev.azure.com/org. and <https://x.y>, [ref][r].\n\n[r]: https://r.example",
        expect![[r#"
            See \[the docs\](<https://learn.microsoft.com/a> b), GetOperation, <https://dev.azure.com/org>. and <https://x.y>, [ref](https://r.example).
            --- inline:
            See \[the docs\](<https://learn.microsoft.com/a> b), GetOperation, <https://dev.azure.com/org>. and <https://x.y>, [ref](https://r.example).
        "#]],
    );
}

#[test]
fn html_is_made_harmless() {
    check(
        "<p>First</p> line<br/>next <b>bold</b>\n\n<div>\nblock\n</div>\n\nend <br> <br>",
        expect![[r#"
            &lt;p>First&lt;/p> line\
            next &lt;b>bold&lt;/b>

            &lt;div> block &lt;/div>

            end
            --- inline:
            &lt;p>First&lt;/p> line next &lt;b>bold&lt;/b> &lt;div> block &lt;/div> end
        "#]],
    );
}

#[test]
fn a_block_marker_at_a_line_s_start_is_escaped() {
    check(
        "\\# not a heading\n\n\\- not an item\n\n2019\\. A year.\n\n\\> not quoted",
        expect![[r#"
            \# not a heading

            \- not an item

            2019\. A year.

            \> not quoted
            --- inline:
            \# not a heading - not an item 2019. A year. > not quoted
        "#]],
    );
}

#[test]
fn quotes_keep_their_marker() {
    check(
        "> quoted\n> text\n>\n> - item",
        expect![[r#"
        > quoted text
        >
        > - item
        --- inline:
        quoted text item
    "#]],
    );
}

// ----- the property: random Markdown reads as the same document -------------------------

/// Words that Markdown, rustdoc or clippy react to, among plain ones.
const WORDS: &[&str] = &[
    "a",
    "word",
    "Build",
    "snake_case",
    "CamelCase",
    "[x]",
    "[",
    "]",
    "*",
    "**",
    "_",
    "__",
    "`",
    "<",
    ">",
    "<b>",
    "</b>",
    "<br>",
    "<br/>",
    "&",
    "&amp;",
    "&lt;",
    "#",
    "##",
    "|",
    "~",
    "~~",
    "https://dev.azure.com/org/_apis",
    "http://x.example/a_b?c=d",
    "(",
    ")",
    "!",
    "\\",
    "1.",
    "2)",
    "-",
    "+",
    "=",
    "---",
    "*/",
    "/*",
    "{",
    "}",
    "é",
    "日本",
    "'",
    "\"",
    "_edge_",
    "a*b*c",
    "3*4",
    "x|y",
    "[a](b)",
    "![i](https://i.example/p.png)",
    "<https://auto.example>",
    "foo@example.com",
    ":",
    ";",
    "...",
    "--",
    "`code`",
    "``",
    "```",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(str::to_owned),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("*{w}*")),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("**{w}**")),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("`{w}`")),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("[{w}](https://l.example/{w})")),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("[{w}](../rel/{w})")),
        1 => prop::sample::select(WORDS).prop_map(|w| format!("~~{w}~~")),
    ]
}

/// A line of up to 40 words: long ones are wrapped.
fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..40).prop_map(|w| w.join(" "))
}

/// A block of Markdown, lists nested `depth` deep at most.
fn markdown_block(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => prop::collection::vec(line(), 1..3).prop_map(|l| l.join("\n")),
        1 => (1..7usize, line()).prop_map(|(n, l)| format!("{} {l}", "#".repeat(n))),
        1 => line().prop_map(|l| format!("```json\n{l}\n```")),
        1 => line().prop_map(|l| format!("    {l}")),
        1 => line().prop_map(|l| format!("> {l}")),
        1 => (line(), line()).prop_map(|(a, b)| format!("| h | i |\n|---|---|\n| {a} | {b} |")),
        1 => line().prop_map(|l| format!("<div>\n{l}\n</div>")),
        1 => Just("---".to_owned()),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let item = prop_oneof![
        3 => line(),
        1 => (line(), line()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => markdown_block(depth - 1).prop_map(|b| b.replace('\n', "\n  ")),
    ];
    prop_oneof![
        3 => leaf,
        1 => (prop::bool::ANY, prop::collection::vec(item, 1..4)).prop_map(|(numbered, items)| {
            items
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let marker = if numbered { format!("{}.", i + 1) } else { "-".to_owned() };
                    let pad = " ".repeat(marker.len() + 1);
                    format!("{marker} {}", text.replace("\n  ", &format!("\n{pad}")))
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
    ]
    .boxed()
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_block(2), 1..5).prop_map(|b| b.join("\n\n"))
}

/// The index of the `End` that closes the `Start` at `start`.
fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0;
    for (i, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// The text of some events, markup left out.
fn text_of(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::InlineHtml(h) | Event::Html(h) if !super::is_line_break(h) => text.push_str(h),
            _ => {}
        }
    }
    text
}

/// HTML text cut at its `<br>` tags.
fn split_line_breaks(html: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close + 1];
        let last = pieces.last_mut().expect("one piece at least");
        if super::is_line_break(tag) {
            last.push_str(&rest[..open]);
            pieces.push(String::new());
        } else {
            last.push_str(&rest[..open + close + 1]);
        }
        rest = &rest[open + close + 1..];
    }
    pieces
        .last_mut()
        .expect("one piece at least")
        .push_str(rest);
    pieces
}

/// A URL with the characters the writer percent-encodes decoded.
fn decoded(url: &str) -> String {
    let mut out = url.to_owned();
    for c in [' ', '<', '>', '(', ')', '"', '`', '\\', '|', '[', ']'] {
        out = out.replace(&format!("%{:02X}", u32::from(c)), &c.to_string());
    }
    out
}

/// The tags the writer uses for emphasis that Markdown's delimiters would get wrong.
fn markup_tag(html: &str) -> Option<&'static str> {
    Some(match html {
        "<em>" => "Emphasis",
        "</em>" => "/Emphasis",
        "<strong>" => "Strong",
        "</strong>" => "/Strong",
        "<del>" => "Strikethrough",
        "</del>" => "/Strikethrough",
        _ => return None,
    })
}

/// What a reader of the rendered document sees, as tokens: the blocks and spans, text with
/// its white space collapsed. `from_spec` reads the spec's side: its headings one level
/// deeper, its links that lead nowhere from a crate's docs as their text, its HTML as text
/// (but for line breaks), its task markers as text. On both sides an autolink reads as its
/// text, emphasis around no text as nothing, a line break in a heading or a table's cell
/// as a space, and one at a block's edge (or after another) as nothing.
fn document(markdown: &str, from_spec: bool) -> Vec<String> {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, super::options()).collect();
    // The tags that read as nothing: their start and end are skipped.
    let mut skipped = vec![false; events.len()];
    let mut shown_url: Vec<Option<String>> = vec![None; events.len()];
    for (i, e) in events.iter().enumerate() {
        let drop = match e {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let inner = text_of(&events[i..matching_end(&events, i)]);
                !super::is_absolute_url(dest_url)
                    || inner.trim().is_empty()
                    || decoded(inner.trim()) == decoded(dest_url)
            }
            Event::Start(Tag::Image { dest_url, .. }) => !super::is_absolute_url(dest_url),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                let inner = &events[i..matching_end(&events, i)];
                text_of(inner).trim().is_empty()
                    && !inner.iter().any(|e| {
                        matches!(
                            e,
                            Event::Code(_)
                                | Event::TaskListMarker(_)
                                | Event::Start(Tag::Link { .. } | Tag::Image { .. })
                        )
                    })
            }
            _ => false,
        };
        if drop {
            // A link with no text to show shows its URL.
            if let Event::Start(Tag::Link { dest_url, .. }) = e
                && text_of(&events[i..matching_end(&events, i)])
                    .trim()
                    .is_empty()
                && super::is_absolute_url(dest_url)
            {
                shown_url[i] = Some(decoded(dest_url));
                // What is inside (a line break) does not show.
                for inner in skipped.iter_mut().take(matching_end(&events, i)).skip(i) {
                    *inner = true;
                }
            }
            skipped[i] = true;
            let end = matching_end(&events, i);
            if end < events.len() {
                skipped[end] = true;
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<String>| {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            out.push(format!("text {}", decoded(&collapsed)));
        }
        text.clear();
    };
    // Inside a heading, a table's cell or a link's text, which are one line: a line break
    // is a space.
    let mut one_line = 0;
    let mut at = 0;
    while at < events.len() {
        let event = events[at].clone();
        at += 1;
        if skipped[at - 1] {
            if let Some(url) = &shown_url[at - 1] {
                text.push_str(url);
            }
            continue;
        }
        let is_break = match &event {
            Event::HardBreak => true,
            Event::Html(h) | Event::InlineHtml(h) => super::is_line_break(h),
            _ => false,
        };
        if is_break {
            if one_line > 0 {
                text.push(' ');
            } else {
                flush(&mut text, &mut out);
                out.push("break".into());
            }
            continue;
        }
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Code(c) => {
                flush(&mut text, &mut out);
                out.push(format!(
                    "code {}",
                    c.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            Event::SoftBreak => text.push(' '),
            // An HTML block's text, with its line breaks.
            Event::Html(h) => {
                for (i, piece) in split_line_breaks(&h).into_iter().enumerate() {
                    if i > 0 {
                        flush(&mut text, &mut out);
                        out.push("break".into());
                    }
                    text.push_str(&piece);
                }
            }
            // A code span the writer wrote as HTML (right after another).
            Event::InlineHtml(h) if h.as_ref() == "<code>" && !from_spec => {
                flush(&mut text, &mut out);
                let mut code = String::new();
                while let Some(e) = events.get(at) {
                    at += 1;
                    match e {
                        Event::InlineHtml(h) if h.as_ref() == "</code>" => break,
                        Event::Text(t) => code.push_str(t),
                        Event::SoftBreak => code.push(' '),
                        _ => {}
                    }
                }
                out.push(format!(
                    "code {}",
                    code.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            Event::InlineHtml(h) => match markup_tag(&h).filter(|_| !from_spec) {
                Some(tag) => {
                    flush(&mut text, &mut out);
                    out.push(tag.into());
                }
                None => text.push_str(&h),
            },
            Event::TaskListMarker(done) => text.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::Link { dest_url, .. }) => {
                flush(&mut text, &mut out);
                one_line += 1;
                out.push(format!("link {}", decoded(&dest_url)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                flush(&mut text, &mut out);
                one_line += 1;
                out.push(format!("image {}", decoded(&dest_url)));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                flush(&mut text, &mut out);
                one_line -= 1;
                out.push("/link".into());
            }
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut text, &mut out);
                out.push("Paragraph".into());
            }
            Event::End(TagEnd::HtmlBlock) => {
                flush(&mut text, &mut out);
                out.push("/Paragraph".into());
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut text, &mut out);
                one_line += 1;
                let n = level as usize;
                out.push(format!("h{}", if from_spec { (n + 1).min(6) } else { n }));
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut text, &mut out);
                one_line -= 1;
                out.push("/h".into());
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut text, &mut out);
                let mut code = String::new();
                while let Some(Event::Text(t)) = events.get(at) {
                    code.push_str(t);
                    at += 1;
                }
                // Its end.
                at += 1;
                let lines: Vec<&str> = code.trim_end().lines().map(str::trim_end).collect();
                out.push(format!("codeblock {}", lines.join("\n")));
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut text, &mut out);
                out.push(format!("list {start:?}"));
            }
            Event::Start(tag) => {
                flush(&mut text, &mut out);
                if tag == Tag::TableCell {
                    one_line += 1;
                }
                let name = format!("{tag:?}");
                out.push(
                    name.split(['(', ' ', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
            Event::End(tag) => {
                flush(&mut text, &mut out);
                if tag == TagEnd::TableCell {
                    one_line -= 1;
                }
                let name = format!("{tag:?}");
                out.push(format!(
                    "/{}",
                    name.split(['(', ' ', '{']).next().unwrap_or_default()
                ));
            }
            Event::Rule => {
                flush(&mut text, &mut out);
                out.push("rule".into());
            }
            other => text.push_str(&format!("{other:?}")),
        }
    }
    flush(&mut text, &mut out);
    without_item_paragraphs(without_edge_breaks(out))
}

/// `tokens` without the paragraphs right inside list items: whether a list is tight or
/// loose (its items' text in paragraphs or not) is only spacing, and a block of HTML the
/// writer shows as text makes a tight item's text of what was a block.
fn without_item_paragraphs(tokens: Vec<String>) -> Vec<String> {
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut kept = Vec::with_capacity(tokens.len());
    for token in tokens {
        let is_text = token.starts_with("text ")
            || token.starts_with("code ")
            || token.starts_with("codeblock ")
            || token == "break"
            || token == "rule";
        if is_text {
            kept.push(token);
        } else if let Some(end) = token.strip_prefix('/') {
            let dropped = open.pop().is_some_and(|(_, dropped)| dropped);
            if !(dropped && end == "Paragraph") {
                kept.push(token);
            }
        } else {
            let in_item = open.last().is_some_and(|(t, _)| t == "Item");
            let dropped = token == "Paragraph" && in_item;
            if !dropped {
                kept.push(token.clone());
            }
            open.push((token, dropped));
        }
    }
    kept
}

/// `tokens` without the line breaks at a block's start or end, or right after another, and
/// without the paragraphs left empty (an HTML block of a `<br>` alone).
fn without_edge_breaks(mut tokens: Vec<String>) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "Paragraph",
        "Item",
        "TableCell",
        "BlockQuote",
        "Table",
        "rule",
    ];
    let is_start = |t: &str| {
        BLOCKS.contains(&t)
            || (t.starts_with('h') && t.len() == 2)
            || t.starts_with("list ")
            || t.starts_with("codeblock ")
    };
    // The end of any block: of anything but a span.
    let is_end = |t: &str| {
        t.starts_with('/') && !matches!(t, "/Emphasis" | "/Strong" | "/Strikethrough" | "/link")
    };
    loop {
        let before = tokens.len();
        let mut kept: Vec<String> = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            if token == "break" {
                let prev = kept.last().map(String::as_str).unwrap_or_default();
                let next = tokens.get(i + 1).map(String::as_str).unwrap_or_default();
                if is_start(prev)
                    || is_end(prev)
                    || prev == "break"
                    || is_end(next)
                    || is_start(next)
                {
                    continue;
                }
            }
            if token == "/Paragraph" && kept.last().is_some_and(|t| t == "Paragraph") {
                kept.pop();
                continue;
            }
            kept.push(token.clone());
        }
        tokens = kept;
        if tokens.len() == before {
            return tokens;
        }
    }
}

/// The rustdoc Markdown of `markdown` as a generated file has it: written, then each line a
/// doc comment that `layout` wraps near 100 columns.
fn as_printed(markdown: &str) -> String {
    let written = block(markdown);
    let comments: String = written
        .lines()
        .map(|l| {
            if l.is_empty() {
                "///\n".to_owned()
            } else {
                format!("/// {l}\n")
            }
        })
        .collect();
    crate::layout::layout(&comments)
        .lines()
        .map(|l| {
            l.strip_prefix("/// ")
                .or(l.strip_prefix("///"))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn same_document(markdown in markdown()) {
        let printed = as_printed(&markdown);
        prop_assert_eq!(
            document(&printed, false),
            document(&markdown, true),
            "the spec's Markdown:\n{}\n\nas printed:\n{}",
            markdown,
            printed
        );
        // One line, with no block in it.
        let one = inline(&markdown);
        prop_assert!(!one.contains('\n'), "{}", one);
    }
}

// ----- the lints: random Markdown in a generated crate is clippy- and rustdoc-clean -------

/// `n` documents from the strategy above, the same at every run.
fn sample(n: usize) -> Vec<String> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = markdown();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
        .collect()
}

/// A spec whose every description is one of `docs`: schemas, their properties and enum
/// values, an operation, its parameters, body and responses.
fn spec_of(docs: &[String]) -> String {
    let mut doc = docs.iter().cycle();
    let mut next = || doc.next().cloned().unwrap_or_default();
    let mut schemas = serde_json::Map::new();
    for i in 0..docs.len().div_ceil(4) {
        schemas.insert(
            format!("Thing{i}"),
            serde_json::json!({
                "type": "object",
                "description": next(),
                "properties": {
                    "name": {"type": "string", "description": next()},
                    "count": {"type": "integer", "format": "int32", "description": next()},
                    "state": {
                        "type": "string",
                        "enum": ["on", "off"],
                        "description": next(),
                        "x-ms-enum": {
                            "name": format!("State{i}"),
                            "values": [
                                {"value": "on", "description": next()},
                                {"value": "off", "description": next()}
                            ]
                        }
                    }
                }
            }),
        );
    }
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Markdown Docs", "version": "1.0", "description": next()},
        "servers": [{"url": "https://example.com"}],
        "tags": [{"name": "Things", "description": next()}],
        "paths": {
            "/things/{id}": {
                "post": {
                    "operationId": "Things_Update",
                    "summary": next(),
                    "description": next(),
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "description": next(),
                         "schema": {"type": "string"}},
                        {"name": "top", "in": "query", "description": next(),
                         "schema": {"type": "integer", "format": "int32"}}
                    ],
                    "requestBody": {
                        "description": next(),
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing0"}}}
                    },
                    "responses": {
                        "200": {"description": next(), "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing0"}}}},
                        "404": {"description": next()}
                    }
                }
            }
        },
        "components": {"schemas": schemas}
    });
    serde_json::to_string_pretty(&spec).expect("json")
}

/// Random Markdown in every place a description goes, through the generator, into a crate
/// that `cargo clippy --all-targets -- -D warnings` and `cargo doc` with
/// `RUSTDOCFLAGS=-D warnings` accept (as CI holds every generated crate to).
#[test]
fn random_docs_are_clippy_and_rustdoc_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let spec = spec_of(&sample(160));
    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("markdown-docs");
    let runtime = crate::jobs::runtime_for(&root, &krate);
    let generated =
        crate::generate("markdown.json", &spec, &runtime).unwrap_or_else(|d| panic!("{d}"));
    crate::write::write(&krate, &generated.files).expect("writes");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("Cargo.lock");
    // Not this test's own target directory, which is locked while it runs; the one of the
    // example tests, kept between runs.
    let target = root.join("target").join("example-tests");
    for (what, args, rustdocflags) in [
        (
            "clippy",
            &[
                "clippy",
                "--offline",
                "--all-targets",
                "--features",
                "mock",
                "--",
                "-D",
                "warnings",
            ][..],
            "",
        ),
        (
            "rustdoc",
            &["doc", "--offline", "--no-deps", "--features", "mock"][..],
            "-D warnings",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", rustdocflags)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "{what} refuses the docs of random Markdown:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
