//! Where each node of a JSON document starts, for a document written in JSON (Microsoft's
//! descriptions are): one scan of the bytes into a flat tree of nodes, and a walk down it
//! for each pointer asked about. The YAML index makes a pointer string for every node of
//! the document, which for a large description cost more than reading it; this one keeps
//! offsets only and decodes a key only where it is compared.
//!
//! Positions are those the YAML index gives for the same text: an object member at its
//! key's opening quote, an array item and the root at their first character; columns count
//! characters, from 1.

use crate::diagnostics::LineCol;

/// Deeper than this the scan gives up (and the YAML index is built instead): the scan
/// recurses once per level.
const MAX_DEPTH: usize = 1_000;

/// No node: the root is node 0 and never anybody's child or sibling.
const NONE: u32 = 0;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Byte offset of the node's position.
    at: u32,
    /// An object member (else an array item or the root).
    member: bool,
    /// For an object member, the bytes of its key between the quotes.
    key: (u32, u32),
    /// The key holds an escape (`\`), so it must be decoded to be compared.
    escaped: bool,
    first_child: u32,
    next_sibling: u32,
}

/// The nodes of one JSON text, and where its lines start.
#[derive(Debug)]
pub(crate) struct Tree {
    nodes: Vec<Node>,
    line_starts: Vec<usize>,
}

impl Tree {
    /// Indexes `text`, or `None` when it is not plain JSON (then the YAML index is used):
    /// a syntax error, a carriage return without a line feed (YAML counts it as a line
    /// break), nesting deeper than [`MAX_DEPTH`], or a text over 4 GiB.
    pub(crate) fn build(text: &str) -> Option<Tree> {
        let bytes = text.as_bytes();
        if u32::try_from(bytes.len()).is_err() {
            return None;
        }
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => return None,
                _ => {}
            }
        }
        let mut scan = Scan {
            bytes,
            nodes: Vec::with_capacity(bytes.len() / 32),
        };
        let start = scan.skip_space(0);
        scan.nodes.push(Node {
            at: start as u32,
            member: false,
            key: (0, 0),
            escaped: false,
            first_child: NONE,
            next_sibling: NONE,
        });
        let end = scan.value(0, start, 0)?;
        if scan.skip_space(end) != bytes.len() {
            return None;
        }
        Some(Tree {
            nodes: scan.nodes,
            line_starts,
        })
    }

    /// The position of `pointer` in `text` (the text the tree was built from), or of its
    /// nearest ancestor that exists in the document.
    pub(crate) fn locate(&self, text: &str, pointer: &str) -> Option<LineCol> {
        let mut node = 0usize;
        if !pointer.is_empty() {
            for token in pointer.strip_prefix('/')?.split('/') {
                match self.child(text, node, &unescape(token)) {
                    Some(child) => node = child,
                    None => break,
                }
            }
        }
        Some(self.line_col(text, self.nodes.get(node)?.at as usize))
    }

    /// The child of `node` named `token`: the member with that key (the first, should the
    /// key be there twice), or the item at that index.
    fn child(&self, text: &str, node: usize, token: &str) -> Option<usize> {
        let index = token.parse::<usize>().ok();
        let mut child = self.nodes[node].first_child;
        let mut i = 0;
        while child != NONE {
            let c = &self.nodes[child as usize];
            let found = if c.member {
                let raw = &text[c.key.0 as usize..c.key.1 as usize];
                if c.escaped {
                    decode(raw).is_some_and(|k| k == token)
                } else {
                    raw == token
                }
            } else {
                index == Some(i)
            };
            if found {
                return Some(child as usize);
            }
            child = c.next_sibling;
            i += 1;
        }
        None
    }

    fn line_col(&self, text: &str, at: usize) -> LineCol {
        let line = self.line_starts.partition_point(|&s| s <= at);
        let start = self.line_starts[line - 1];
        LineCol {
            line,
            column: text[start..at].chars().count() + 1,
        }
    }
}

/// A JSON pointer token as the key it names (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// The text of a JSON string's contents (between its quotes).
fn decode(raw: &str) -> Option<String> {
    serde_json::from_str(&format!("\"{raw}\"")).ok()
}

struct Scan<'t> {
    bytes: &'t [u8],
    nodes: Vec<Node>,
}

impl Scan<'_> {
    fn skip_space(&self, mut i: usize) -> usize {
        while matches!(self.bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    /// The value of node `node`, which starts at `i`; the offset after it.
    fn value(&mut self, node: usize, i: usize, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.bytes.get(i)? {
            b'{' => self.container(node, i + 1, b'}', depth),
            b'[' => self.container(node, i + 1, b']', depth),
            b'"' => self.string(i).map(|(end, _)| end),
            _ => {
                let end = i + self.bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(self.bytes.len() - i);
                (end > i).then_some(end)
            }
        }
    }

    /// The members (`close` is `}`) or items (`]`) of `node` from `i` on; the offset after
    /// the closing bracket.
    fn container(&mut self, node: usize, i: usize, close: u8, depth: usize) -> Option<usize> {
        let mut i = self.skip_space(i);
        if self.bytes.get(i) == Some(&close) {
            return Some(i + 1);
        }
        let mut last = NONE;
        loop {
            let child = u32::try_from(self.nodes.len()).ok()?;
            let mut new = Node {
                at: i as u32,
                member: close == b'}',
                key: (0, 0),
                escaped: false,
                first_child: NONE,
                next_sibling: NONE,
            };
            if new.member {
                if self.bytes.get(i) != Some(&b'"') {
                    return None;
                }
                let (end, escaped) = self.string(i)?;
                new.key = (i as u32 + 1, end as u32 - 1);
                new.escaped = escaped;
                i = self.skip_space(end);
                if self.bytes.get(i) != Some(&b':') {
                    return None;
                }
                i = self.skip_space(i + 1);
            }
            self.nodes.push(new);
            if last == NONE {
                self.nodes[node].first_child = child;
            } else {
                self.nodes[last as usize].next_sibling = child;
            }
            last = child;
            i = self.value(child as usize, i, depth + 1)?;
            i = self.skip_space(i);
            match self.bytes.get(i)? {
                b',' => i = self.skip_space(i + 1),
                b if *b == close => return Some(i + 1),
                _ => return None,
            }
        }
    }

    /// The string whose opening quote is at `i`: the offset after its closing quote, and
    /// whether it holds an escape.
    fn string(&self, i: usize) -> Option<(usize, bool)> {
        let mut escaped = false;
        let mut j = i + 1;
        loop {
            match *self.bytes.get(j)? {
                b'"' => return Some((j + 1, escaped)),
                b'\\' => {
                    escaped = true;
                    j += 2;
                }
                _ => j += 1,
            }
        }
    }
}
