//! The spec's text as rustdoc: descriptions are Markdown (CommonMark with GitHub's tables and
//! strikethrough), parsed with pulldown-cmark and written again as Markdown that rustdoc
//! renders the same, and that neither rustdoc nor clippy warns about:
//!
//! - paragraphs on one line each (`layout` wraps them, indenting what continues a list item);
//! - emphasis, strong, strikethrough and code spans kept; code blocks fenced as `text`, so
//!   that rustdoc does not run them as doctests;
//! - headings demoted one level, below the sections the generator writes (`# Arguments`);
//! - lists and nested lists with every line of an item indented to stay in it (clippy's
//!   `doc_lazy_continuation`); tables kept;
//! - links kept when they go to an absolute URL, else their text alone (a relative link
//!   of Microsoft's docs site, `../../operations/get`, leads nowhere from a crate's docs, and
//!   rustdoc would read `[text](Name)` as a link to a Rust item);
//! - text escaped where rustdoc would read more into it than the spec did: brackets (intra-doc
//!   links), `<` (HTML), `*`, `_`, `` ` ``, `|`, `~`, entities, a block marker at a line's
//!   start; bare URLs made autolinks (`rustdoc::bare_urls`);
//! - HTML made harmless: `<br>` is a line break, any other tag is shown as text.
//!
//! ```text
//! Rules:                              Rules:
//! - a [b] <c>                   ->
//! - long item\ncontinued              - a \[b\] &lt;c&gt;
//! ## Query                            - long item continued
//!                                     
//!                                     ### Query
//! ```
//!
//! [`inline`] writes the same on one line, for the places a description is a list entry or
//! the cell of a table.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The Markdown extensions descriptions are written with (GitHub's).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// `text` as rustdoc Markdown, block by block (paragraphs separated by a blank line).
pub(crate) fn block(text: &str) -> String {
    let blocks = parse(text);
    let mut out = String::new();
    write_blocks(&mut out, &blocks, "", Tightness::Loose, Depth(0));
    out.trim_end().to_owned()
}

/// `text` as rustdoc Markdown on one line: its blocks' text joined by spaces (a list's
/// items by `; `, code blocks as code spans).
pub(crate) fn inline(text: &str) -> String {
    let blocks = parse(text);
    let mut parts = Vec::new();
    flatten(&blocks, &mut parts);
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// A block of Markdown.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Code(String),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    Table {
        aligns: Vec<Alignment>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
    /// Raw HTML, shown as text.
    Html(String),
}

/// A span of text.
#[derive(Debug, Clone, PartialEq)]
enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    /// A link to an absolute URL.
    Link(String, Vec<Inline>),
    /// An image at an absolute URL, with its alternative text.
    Image(String, Vec<Inline>),
    SoftBreak,
    HardBreak,
    /// Inline HTML other than a line break, shown as text.
    Html(String),
    Task(bool),
    /// Spans written as they are, without markup of their own: the text of a link that
    /// leads nowhere from a crate's docs.
    Plain(Vec<Inline>),
}

/// Whether a list's items are separated by blank lines.
#[derive(Clone, Copy, PartialEq)]
enum Tightness {
    Tight,
    Loose,
}

/// The blocks of `text`.
fn parse(text: &str) -> Vec<Block> {
    let mut events = Parser::new_ext(text, options()).peekable();
    let mut blocks = Vec::new();
    while let Some(event) = events.next() {
        if let Some(b) = block_of(event, &mut events) {
            blocks.push(b);
        }
    }
    blocks
}

type Events<'a> = std::iter::Peekable<Parser<'a>>;

/// The block that `first` starts, reading its events up to its end.
fn block_of(first: Event<'_>, events: &mut Events<'_>) -> Option<Block> {
    Some(match first {
        Event::Start(Tag::Paragraph) => Block::Paragraph(inlines_until(events)),
        Event::Start(Tag::Heading { level, .. }) => {
            Block::Heading(heading_level(level), inlines_until(events))
        }
        Event::Start(Tag::CodeBlock(_)) => {
            let mut code = String::new();
            for event in events.by_ref() {
                match event {
                    Event::Text(t) => code.push_str(&t),
                    Event::End(_) => break,
                    _ => {}
                }
            }
            Block::Code(code)
        }
        Event::Start(Tag::BlockQuote(_)) => Block::Quote(blocks_until(events)),
        Event::Start(Tag::HtmlBlock) => {
            let mut html = String::new();
            for event in events.by_ref() {
                match event {
                    Event::Html(t) | Event::Text(t) => html.push_str(&t),
                    Event::End(_) => break,
                    _ => {}
                }
            }
            Block::Html(html)
        }
        Event::Start(Tag::List(start)) => {
            let mut items = Vec::new();
            let mut tight = true;
            while let Some(event) = events.next() {
                match event {
                    Event::Start(Tag::Item) => {
                        let (item, loose) = item_until(events);
                        tight &= !loose;
                        items.push(item);
                    }
                    Event::End(_) => break,
                    _ => {}
                }
            }
            Block::List {
                start,
                tight,
                items,
            }
        }
        Event::Start(Tag::Table(aligns)) => {
            let mut rows = Vec::new();
            let mut row = Vec::new();
            while let Some(event) = events.next() {
                match event {
                    Event::Start(Tag::TableCell) => row.push(inlines_until(events)),
                    Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                        rows.push(std::mem::take(&mut row));
                    }
                    Event::End(TagEnd::Table) => break,
                    _ => {}
                }
            }
            Block::Table { aligns, rows }
        }
        Event::Rule => Block::Rule,
        // Inline content outside a paragraph (a tight list item's) is read by the caller.
        Event::Start(_) => {
            skip_to_end(events);
            return None;
        }
        _ => return None,
    })
}

/// The blocks up to the end of the enclosing container.
fn blocks_until(events: &mut Events<'_>) -> Vec<Block> {
    let mut blocks = Vec::new();
    while let Some(event) = events.next() {
        if let Event::End(_) = event {
            break;
        }
        if let Some(b) = block_of(event, events) {
            blocks.push(b);
        }
    }
    blocks
}

/// A list item's blocks up to its end, and whether it is loose (its text in paragraphs).
/// The text of a tight item comes without a paragraph: it is gathered into one.
fn item_until(events: &mut Events<'_>) -> (Vec<Block>, bool) {
    let mut blocks = Vec::new();
    let mut loose = false;
    let mut text: Vec<Inline> = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::End(TagEnd::Item) => break,
            Event::Start(Tag::Paragraph) => {
                loose = true;
                flush(&mut text, &mut blocks);
                blocks.push(Block::Paragraph(inlines_until(events)));
            }
            Event::Start(
                tag @ (Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }),
            ) => {
                if let Some(i) = inline_of(Event::Start(tag), events) {
                    push_span(&mut text, i);
                }
            }
            event @ (Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::TaskListMarker(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)) => {
                if let Some(i) = inline_of(event, events) {
                    push_span(&mut text, i);
                }
            }
            other => {
                flush(&mut text, &mut blocks);
                if let Some(b) = block_of(other, events) {
                    blocks.push(b);
                }
            }
        }
    }
    flush(&mut text, &mut blocks);
    (blocks, loose)
}

/// The text gathered so far as a paragraph of `blocks`.
fn flush(text: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    if !text.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(text)));
    }
}

/// Skips the events of a container that was opened.
fn skip_to_end(events: &mut Events<'_>) {
    let mut depth = 1;
    for event in events.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// The spans up to the end of the enclosing tag.
fn inlines_until(events: &mut Events<'_>) -> Vec<Inline> {
    let mut out = Vec::new();
    while let Some(event) = events.next() {
        if let Event::End(_) = event {
            break;
        }
        if let Some(i) = inline_of(event, events) {
            push_span(&mut out, i);
        }
    }
    out
}

/// Adds a span, joining text to the text before it: the parser cuts text where a
/// delimiter might have been (`org/` `_apis`), and a URL must be found whole.
fn push_span(spans: &mut Vec<Inline>, span: Inline) {
    if let (Some(Inline::Text(before)), Inline::Text(text)) = (spans.last_mut(), &span) {
        before.push_str(text);
    } else {
        spans.push(span);
    }
}

/// The span that `event` is (or starts).
fn inline_of(event: Event<'_>, events: &mut Events<'_>) -> Option<Inline> {
    Some(match event {
        Event::Text(t) => Inline::Text(t.into_string()),
        Event::Code(c) => Inline::Code(c.into_string()),
        Event::InlineMath(m) | Event::DisplayMath(m) => Inline::Text(m.into_string()),
        Event::SoftBreak => Inline::SoftBreak,
        Event::HardBreak => Inline::HardBreak,
        Event::InlineHtml(h) | Event::Html(h) if is_line_break(&h) => Inline::HardBreak,
        Event::InlineHtml(h) | Event::Html(h) => Inline::Html(h.into_string()),
        Event::TaskListMarker(done) => Inline::Task(done),
        Event::FootnoteReference(f) => Inline::Text(format!("[^{f}]")),
        Event::Start(Tag::Emphasis) => Inline::Emphasis(inlines_until(events)),
        Event::Start(Tag::Strong) => Inline::Strong(inlines_until(events)),
        Event::Start(Tag::Strikethrough) => Inline::Strikethrough(inlines_until(events)),
        // A link (an image) to an absolute URL is kept; any other has its text (its
        // alternative text) stand in its place.
        Event::Start(Tag::Link { dest_url, .. }) => {
            let text = inlines_until(events);
            if is_absolute_url(&dest_url) {
                Inline::Link(dest_url.into_string(), text)
            } else {
                Inline::Plain(text)
            }
        }
        Event::Start(Tag::Image { dest_url, .. }) => {
            let alt = inlines_until(events);
            if is_absolute_url(&dest_url) {
                Inline::Image(dest_url.into_string(), alt)
            } else {
                Inline::Plain(alt)
            }
        }
        Event::Start(_) => Inline::Plain(inlines_until(events)),
        _ => return None,
    })
}

/// `<br>`, `<br/>`, `<br />`, in any letter case.
fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(tag.as_str(), "<br>" | "<br/>")
}

/// Whether a link goes somewhere from any page: `http(s)://` or `mailto:`.
fn is_absolute_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.contains(char::is_whitespace)
}

/// One level below the spec's, under the generator's own `#` sections.
fn heading_level(level: HeadingLevel) -> u8 {
    let level = match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    };
    (level + 1).min(6)
}

// ----- writing ----------------------------------------------------------------------------

/// Writes `blocks`, each line after the first of each block starting with `indent` (the
/// first line's indentation is the caller's: a list marker, or `indent` itself).
/// How deep in lists blocks are: a list's bullet alternates with it (`-`, then `+` in its
/// items), so that bullets that start one line (`- + a`) never read as a rule (`- - -`).
#[derive(Clone, Copy)]
struct Depth(usize);

fn write_blocks(
    out: &mut String,
    blocks: &[Block],
    indent: &str,
    tightness: Tightness,
    depth: Depth,
) {
    // A paragraph of nothing (a line break alone) shows nothing, and written would end an
    // item that it starts.
    let blocks: Vec<&Block> = blocks.iter().filter(|b| !is_blank(b)).collect();
    // Two lists of one kind in a row are two lists when their markers differ (`-` then
    // `+`, `1.` then `1)`).
    let mut alternate = false;
    for (i, b) in blocks.iter().enumerate() {
        let b = *b;
        // Lists of one kind (bullets, or numbers) in a row.
        let same_kind = match (i.checked_sub(1).map(|p| blocks[p]), b) {
            (Some(Block::List { start: a, .. }), Block::List { start: b, .. }) => {
                a.is_some() == b.is_some()
            }
            _ => false,
        };
        alternate = same_kind && !alternate;
        if i > 0 {
            // A tight item's text and the list nested in it go on consecutive lines, but
            // for a list whose first item is empty: it cannot start right after text.
            let empty_first = match b {
                Block::List { items, .. } => {
                    items.first().is_some_and(|item| item.iter().all(is_blank))
                }
                _ => false,
            };
            if tightness == Tightness::Loose || !matches!(b, Block::List { .. }) || empty_first {
                out.push('\n');
            }
            out.push_str(indent);
        }
        write_block(out, b, indent, alternate, depth);
        out.push('\n');
    }
}

fn write_block(out: &mut String, block: &Block, indent: &str, alternate: bool, depth: Depth) {
    match block {
        Block::Paragraph(spans) => {
            let mut text = String::new();
            write_inlines(&mut text, &trim_breaks(spans), Context::Text);
            write_lines(out, &text, indent);
        }
        Block::Heading(level, spans) => write_heading(out, *level, spans),
        Block::Code(code) => write_code_block(out, code, indent),
        Block::Quote(blocks) => write_quote(out, blocks, indent, depth),
        Block::List {
            start,
            tight,
            items,
        } => write_list(out, *start, *tight, items, indent, alternate, depth),
        Block::Table { aligns, rows } => write_table(out, aligns, rows, indent),
        // Not `---`: after a list marker, `- ---` is a rule of its own.
        Block::Rule => out.push_str("***"),
        Block::Html(html) => {
            // Shown as text, but for its line breaks.
            let spans = html_spans(html.trim());
            let mut text = String::new();
            write_inlines(&mut text, &trim_breaks(&spans), Context::Text);
            write_lines(out, &text, indent);
        }
    }
}

fn write_heading(out: &mut String, level: u8, spans: &[Inline]) {
    let mut line = String::new();
    write_inlines(&mut line, spans, Context::OneLine);
    out.push_str(&"#".repeat(usize::from(level)));
    out.push(' ');
    // A `#` at a heading's end would be read as its closing sequence.
    let text = line.trim();
    match text.strip_suffix('#') {
        Some(before) => {
            out.push_str(before);
            out.push_str("\\#");
        }
        None => out.push_str(text),
    }
}

fn write_code_block(out: &mut String, code: &str, indent: &str) {
    let fence = fence_for(code, '`', 3);
    out.push_str(&fence);
    out.push_str("text");
    for line in code.trim_end_matches('\n').split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line.trim_end());
        }
    }
    out.push('\n');
    out.push_str(indent);
    out.push_str(&fence);
}

fn write_quote(out: &mut String, blocks: &[Block], indent: &str, depth: Depth) {
    let mut inner = String::new();
    write_blocks(&mut inner, blocks, "", Tightness::Loose, depth);
    let lines: Vec<&str> = inner.trim_end().split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        if line.is_empty() {
            out.push('>');
        } else {
            out.push_str("> ");
            out.push_str(line);
        }
    }
}

/// A list: numbered from `start` (`1.`, or `1)` when `alternate`), else bulleted (`-` or
/// `+` by depth, the other when `alternate`).
fn write_list(
    out: &mut String,
    start: Option<u64>,
    tight: bool,
    items: &[Vec<Block>],
    indent: &str,
    alternate: bool,
    depth: Depth,
) {
    let tightness = if tight {
        Tightness::Tight
    } else {
        Tightness::Loose
    };
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            if tightness == Tightness::Loose {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(indent);
        }
        let marker = match (start, alternate) {
            (Some(n), false) => format!("{}. ", n + i as u64),
            (Some(n), true) => format!("{}) ", n + i as u64),
            // Not `*`: `* ***` is a rule.
            (None, _) if (depth.0 % 2 == 1) != alternate => "+ ".to_owned(),
            (None, _) => "- ".to_owned(),
        };
        out.push_str(&marker);
        let inner_indent = format!("{indent}{}", " ".repeat(marker.len()));
        let mut inner = String::new();
        if item.is_empty() {
            // An empty item stays an item.
            inner.push('\n');
        }
        write_blocks(
            &mut inner,
            item,
            &inner_indent,
            tightness,
            Depth(depth.0 + 1),
        );
        out.push_str(inner.trim_end_matches('\n'));
    }
}

fn write_table(out: &mut String, aligns: &[Alignment], rows: &[Vec<Vec<Inline>>], indent: &str) {
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        out.push('|');
        for cell in row {
            let mut text = String::new();
            write_inlines(&mut text, cell, Context::TableCell);
            out.push(' ');
            out.push_str(text.trim());
            out.push_str(" |");
        }
        if r == 0 {
            out.push('\n');
            out.push_str(indent);
            out.push('|');
            for a in aligns {
                out.push_str(match a {
                    Alignment::None => " --- |",
                    Alignment::Left => " :-- |",
                    Alignment::Center => " :-: |",
                    Alignment::Right => " --: |",
                });
            }
        }
    }
}

/// Whether a block shows nothing: a paragraph of white space and line breaks.
fn is_blank(block: &Block) -> bool {
    match block {
        Block::Paragraph(spans) => !spans.iter().any(shows_something),
        Block::Html(html) => html_spans(html.trim()).iter().all(|s| match s {
            Inline::Html(t) => t.trim().is_empty(),
            _ => true,
        }),
        _ => false,
    }
}

/// Whether a span shows anything: text, code, a link (its text or its URL), an image, a
/// task's box; not white space or line breaks alone.
fn shows_something(span: &Inline) -> bool {
    match span {
        Inline::Text(t) | Inline::Html(t) => !t.trim().is_empty(),
        Inline::Code(_) | Inline::Link(..) | Inline::Image(..) | Inline::Task(_) => true,
        Inline::Emphasis(inner)
        | Inline::Strong(inner)
        | Inline::Strikethrough(inner)
        | Inline::Plain(inner) => inner.iter().any(shows_something),
        Inline::SoftBreak | Inline::HardBreak => false,
    }
}

/// The lines of a paragraph (one, or several after line breaks), the lines after the first
/// indented, each with a block marker at its start escaped.
fn write_lines(out: &mut String, text: &str, indent: &str) {
    // Every line but the last ends with the backslash of its line break (text has no
    // other line ends). Lines of nothing (breaks at the start or end, or in a row) show
    // nothing: they go.
    let pieces: Vec<&str> = text.split('\n').collect();
    let last = pieces.len() - 1;
    let lines: Vec<&str> = pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let piece = if i < last {
                piece.strip_suffix('\\').unwrap_or(piece)
            } else {
                piece
            };
            piece.trim()
        })
        .filter(|line| !line.is_empty())
        .collect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\\n");
            out.push_str(indent);
        }
        out.push_str(&escape_line_start(line));
    }
}

/// The spans without the line breaks (and white space) that start or end them: a break
/// shows nothing there, and one written last would read as a backslash.
fn trim_breaks(spans: &[Inline]) -> Vec<Inline> {
    // The spans of a link that lost its link are the paragraph's own.
    let mut flat = Vec::with_capacity(spans.len());
    splice_plain(spans, &mut flat);
    let blank = |s: &Inline| match s {
        Inline::HardBreak | Inline::SoftBreak => true,
        Inline::Text(t) | Inline::Html(t) => t.trim().is_empty(),
        _ => false,
    };
    let start = flat.iter().position(|s| !blank(s)).unwrap_or(flat.len());
    let end = flat
        .iter()
        .rposition(|s| !blank(s))
        .map_or(start, |e| e + 1);
    flat.truncate(end);
    flat.drain(..start);
    flat
}

/// `spans` with the spans of each `Plain` in its place.
fn splice_plain(spans: &[Inline], out: &mut Vec<Inline>) {
    for span in spans {
        match span {
            Inline::Plain(inner) => splice_plain(inner, out),
            other => out.push(other.clone()),
        }
    }
}

/// Raw HTML as spans: its text, and a line break for each `<br>`.
fn html_spans(html: &str) -> Vec<Inline> {
    let mut spans = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close + 1];
        if is_line_break(tag) {
            spans.push(Inline::Html(rest[..open].to_owned()));
            spans.push(Inline::HardBreak);
            rest = &rest[open + close + 1..];
        } else {
            spans.push(Inline::Html(rest[..open + close + 1].to_owned()));
            rest = &rest[open + close + 1..];
        }
    }
    spans.push(Inline::Html(rest.to_owned()));
    spans
}

/// Where spans are written: running text (hard breaks are line breaks), one line (a
/// heading, a list entry) or a table's cell (`|` escaped too, which it is everywhere).
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Text,
    OneLine,
    TableCell,
}

fn write_inlines(out: &mut String, spans: &[Inline], cx: Context) {
    for span in spans {
        match span {
            Inline::Text(t) => escape_text(out, t, cx),
            Inline::Code(c) => write_code(out, c),
            Inline::Emphasis(inner) => wrap_span(out, ("*", "em"), inner, cx),
            Inline::Strong(inner) => wrap_span(out, ("**", "strong"), inner, cx),
            Inline::Strikethrough(inner) => wrap_span(out, ("~~", "del"), inner, cx),
            Inline::Plain(inner) => write_inlines(out, inner, cx),
            Inline::Image(url, alt) => {
                let mut text = String::new();
                write_inlines(&mut text, alt, Context::OneLine);
                out.push_str("![");
                out.push_str(text.trim());
                out.push_str("](");
                out.push_str(&encode_url(url));
                out.push(')');
            }
            Inline::Link(url, inner) => {
                let mut text = String::new();
                write_inlines(&mut text, inner, Context::OneLine);
                let text = text.trim();
                let url = encode_url(url);
                if text.is_empty() || plain_text(inner).trim() == url {
                    out.push('<');
                    out.push_str(&url);
                    out.push('>');
                } else {
                    out.push('[');
                    out.push_str(text);
                    out.push_str("](");
                    out.push_str(&url);
                    out.push(')');
                }
            }
            Inline::SoftBreak => out.push(' '),
            Inline::HardBreak => match cx {
                // A backslash before the line's end: CommonMark's break that trimming
                // does not lose; several in a row show as one.
                Context::Text => {
                    let kept = out.trim_end_matches(' ').len();
                    out.truncate(kept);
                    if !out.ends_with("\\\n") {
                        out.push_str("\\\n");
                    }
                }
                Context::OneLine | Context::TableCell => out.push(' '),
            },
            Inline::Html(h) => escape_text(out, h, cx),
            Inline::Task(done) => out.push_str(if *done { "\\[x\\] " } else { "\\[ \\] " }),
        }
    }
}

/// A URL with the characters that would end a link's destination (or an autolink)
/// percent-encoded.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '"' | '`' | '\\' | '|' | '[' | ']' => {
                out.push_str(&format!("%{:02X}", u32::from(c)));
            }
            c if c.is_control() => out.push_str(&format!("%{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The text of spans without any markup.
fn plain_text(spans: &[Inline]) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Inline::Text(t) | Inline::Code(t) | Inline::Html(t) => out.push_str(t),
            Inline::Emphasis(inner)
            | Inline::Strong(inner)
            | Inline::Strikethrough(inner)
            | Inline::Link(_, inner)
            | Inline::Image(_, inner)
            | Inline::Plain(inner) => out.push_str(&plain_text(inner)),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::Task(done) => out.push_str(if *done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

/// The spans marked up with `marker` (its Markdown delimiter and its HTML tag), when they
/// have text. Markdown's delimiters are used unless they would run into others (nested
/// emphasis that starts or ends the text, or a span right after another), where rustdoc
/// could pair them otherwise: the HTML tag then says the same.
fn wrap_span(out: &mut String, marker: (&str, &str), inner: &[Inline], cx: Context) {
    let mut text = String::new();
    write_inlines(&mut text, inner, cx);
    // A delimiter run must touch its text: spaces go outside; around no text at all (a
    // line break alone) there is nothing to mark.
    let trimmed = text.trim();
    if !inner.iter().any(shows_something) {
        out.push_str(&text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let delimiters = ['*', '_', '~'];
    let runs_into =
        trimmed.contains(delimiters) || out.ends_with(delimiters) || inner.iter().any(has_emphasis);
    let (open, close) = if runs_into {
        (format!("<{}>", marker.1), format!("</{}>", marker.1))
    } else {
        (marker.0.to_owned(), marker.0.to_owned())
    };
    out.push_str(lead);
    out.push_str(&open);
    out.push_str(trimmed);
    out.push_str(&close);
    out.push_str(trail);
}

/// Whether a span is or holds emphasis of some kind.
fn has_emphasis(span: &Inline) -> bool {
    match span {
        Inline::Emphasis(_) | Inline::Strong(_) | Inline::Strikethrough(_) => true,
        Inline::Link(_, inner) | Inline::Image(_, inner) | Inline::Plain(inner) => {
            inner.iter().any(has_emphasis)
        }
        _ => false,
    }
}

/// A code span around `code`, with enough backticks that none inside closes it. Right
/// after another code span (whose backticks the new ones would run into), an HTML `<code>`.
fn write_code(out: &mut String, code: &str) {
    let code = code.replace('\n', " ");
    if out.ends_with('`') {
        // Markdown goes on inside HTML tags: the text is escaped as any.
        out.push_str("<code>");
        escape_plain(out, &code, Context::OneLine);
        out.push_str("</code>");
        return;
    }
    let fence = fence_for(&code, '`', 1);
    // CommonMark takes one space off each end of a span that has one at both (and is not
    // only spaces): a span that starts or ends with a backtick needs one, and one that has
    // them gets another.
    let all_spaces = code.chars().all(|c| c == ' ');
    let pad = !all_spaces
        && (code.starts_with('`')
            || code.ends_with('`')
            || (code.starts_with(' ') && code.ends_with(' ')));
    out.push_str(&fence);
    if pad {
        out.push(' ');
    }
    out.push_str(&code);
    if pad {
        out.push(' ');
    }
    out.push_str(&fence);
}

/// A run of `c` longer than any in `text`, at least `min` long.
fn fence_for(text: &str, c: char, min: usize) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    c.to_string().repeat((longest + 1).max(min))
}

/// Plain text, escaped so that rustdoc reads it as plain text; bare URLs as autolinks.
fn escape_text(out: &mut String, text: &str, cx: Context) {
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"]
            .iter()
            .filter_map(|p| find_ascii_case_insensitive(rest, p))
            .min();
        let (plain, tail) = match url_at {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        escape_plain(out, plain, cx);
        if tail.is_empty() {
            break;
        }
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '|'))
            .unwrap_or(tail.len());
        let mut url = &tail[..end];
        // Punctuation that ends a sentence, or closes what opened before the URL.
        while let Some(last) = url.chars().last() {
            let opened = url.matches('(').count();
            if matches!(
                last,
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | ']'
            ) || (last == ')' && url.matches(')').count() > opened)
            {
                url = &url[..url.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        if url.len() <= "https://".len() {
            escape_plain(out, &tail[..end.max(1)], cx);
            rest = &tail[end.max(1)..];
            continue;
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Escapes the characters of plain text that Markdown (as rustdoc reads it) would take
/// for syntax.
fn escape_plain(out: &mut String, text: &str, cx: Context) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // An entity, not `\``: an escaped backtick next to a code span's backticks is
            // read differently by different parsers.
            '`' => out.push_str("&#96;"),
            // Inside a word, `_` is plain: only at a word's edge can it emphasize.
            '_' if prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric) =>
            {
                out.push('_');
            }
            '_' => out.push_str("\\_"),
            '<' => out.push_str("&lt;"),
            '&' if looks_like_entity(&chars[i..]) => out.push_str("&amp;"),
            '\n' if cx == Context::Text => out.push(' '),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
}

/// Whether text from `&` reads as an HTML entity (`&amp;`, `&#38;`, `&#x26;`).
fn looks_like_entity(from: &[char]) -> bool {
    let body: String = from
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !body.is_empty() && from.get(1 + body.chars().count()) == Some(&';')
}

/// A line whose start Markdown would read as a block marker (a heading, a quote, a list
/// item, a rule, a fence, a setext underline) gets that marker escaped.
fn escape_line_start(line: &str) -> String {
    let trimmed = line.trim_start();
    if starts_block(trimmed) {
        let indent = &line[..line.len() - trimmed.len()];
        let mut chars = trimmed.char_indices();
        // The marker's digits stay; the punctuation after them, or the first character,
        // gets the backslash.
        let at = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0)
            .unwrap_or_else(|| chars.next().map_or(0, |(i, _)| i));
        return format!("{indent}{}\\{}", &trimmed[..at], &trimmed[at..]);
    }
    line.to_owned()
}

/// Whether a line starting with `text` would begin a Markdown block other than a
/// paragraph.
pub(crate) fn starts_block(text: &str) -> bool {
    let first = text.chars().next();
    match first {
        Some('#' | '>') => true,
        Some('-' | '+' | '*' | '=') => {
            let rest = &text[1..];
            rest.is_empty()
                || rest.starts_with(' ')
                || text.chars().all(|c| c == first.unwrap_or(' ') || c == ' ')
        }
        // A backtick fence's info string has no backtick (else it is a code span).
        Some('`') => {
            let run = text.len() - text.trim_start_matches('`').len();
            run >= 3 && !text[run..].contains('`')
        }
        Some('~') => text.starts_with("~~~"),
        Some(c) if c.is_ascii_digit() => {
            let digits = text
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len());
            digits <= 9
                && matches!(text[digits..].chars().next(), Some('.' | ')'))
                && matches!(text[digits + 1..].chars().next(), None | Some(' '))
        }
        _ => false,
    }
}

/// Whether a line starting with `text`, right after a line of a paragraph, would end the
/// paragraph and start another block (CommonMark's rules for what may interrupt a
/// paragraph: not an empty list item, nor a numbered list that starts at another number
/// than 1), or turn it into a heading (a line of `=` or `-`).
pub(crate) fn interrupts_paragraph(text: &str) -> bool {
    let only = |c: char| !text.is_empty() && text.chars().all(|t| t == c);
    // A list item interrupts a paragraph when it has text.
    let item_with_text =
        |marker: usize| text[marker..].starts_with(' ') && !text[marker..].trim().is_empty();
    match text.chars().next() {
        Some('#') => {
            let hashes = text.len() - text.trim_start_matches('#').len();
            hashes <= 6 && matches!(text[hashes..].chars().next(), None | Some(' '))
        }
        Some('>') => true,
        // A heading's underline, an item, or a rule (`***`, `- - -`).
        Some('-') => only('-') || item_with_text(1) || is_rule(text),
        Some('=') => only('='),
        Some('+') => item_with_text(1),
        Some('*') => item_with_text(1) || is_rule(text),
        Some('_') => is_rule(text),
        Some('`' | '~') => starts_block(text),
        Some('1') => (text.starts_with("1.") || text.starts_with("1)")) && item_with_text(2),
        _ => false,
    }
}

/// Whether a line is a thematic break: three or more of one of `-`, `*`, `_`, spaces
/// between them allowed.
fn is_rule(text: &str) -> bool {
    let marks: String = text.chars().filter(|c| *c != ' ').collect();
    marks.len() >= 3
        && ['-', '*', '_']
            .iter()
            .any(|m| marks.chars().all(|c| c == *m))
}

/// The text of `blocks` as one-line parts, for [`inline`].
fn flatten(blocks: &[Block], parts: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph(spans) | Block::Heading(_, spans) => {
                let mut line = String::new();
                write_inlines(&mut line, spans, Context::OneLine);
                parts.push(line.trim().to_owned());
            }
            Block::Code(code) => {
                let mut line = String::new();
                write_code(&mut line, code.trim());
                parts.push(line);
            }
            Block::Quote(inner) => flatten(inner, parts),
            Block::List { items, .. } => {
                let mut entries = Vec::new();
                for item in items {
                    let mut inner = Vec::new();
                    flatten(item, &mut inner);
                    inner.retain(|p| !p.is_empty());
                    entries.push(inner.join(" "));
                }
                parts.push(entries.join("; "));
            }
            Block::Table { rows, .. } => {
                for row in rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|cell| {
                            let mut text = String::new();
                            write_inlines(&mut text, cell, Context::TableCell);
                            text.trim().to_owned()
                        })
                        .collect();
                    parts.push(cells.join(", "));
                }
            }
            Block::Rule => {}
            Block::Html(html) => {
                let mut line = String::new();
                write_inlines(&mut line, &html_spans(html.trim()), Context::OneLine);
                parts.push(line.trim().to_owned());
            }
        }
    }
    if let Some(first) = parts.first_mut() {
        *first = escape_line_start(first);
    }
}

#[cfg(test)]
mod tests;
