//! Where each field of a YAML file stands: a map from field paths
//! (`queues[2].sla.answer_within`) to their line and column, built from the
//! event stream of a YAML parser that reports positions (yaml-rust2). serde
//! gives the values; this gives every problem found later a place.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Field path → (line, column), both 1-based.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    map: BTreeMap<String, (usize, usize)>,
}

impl Spans {
    /// Indexes `text`; on a syntax error, what was read before it.
    pub fn build(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        Spans { map: builder.map }
    }

    /// The place of `path`, or of its nearest indexed ancestor.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(&at) = self.map.get(p) {
                return Some(at);
            }
            // A path no key of the file starts (the file as a whole): its
            // first line, so that every problem has a place.
            let Some(cut) = p.rfind(['.', '[']) else {
                return Some(self.map.get(p).copied().unwrap_or((1, 1)));
            };
            p = &p[..cut];
        }
    }
}

/// Joins a field name onto a path.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins a list index onto a path.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    map: BTreeMap<String, (usize, usize)>,
}

impl Builder {
    /// The path of the node starting now, or `None` when it is a mapping key.
    fn node_path(&mut self, key_text: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = index(path, *next);
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    *key = Some(key_text.unwrap_or("?").to_string());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = (mark.line().max(1), mark.col() + 1);
        match ev {
            Event::Scalar(value, ..) => {
                let parent = match self.stack.last() {
                    Some(Frame::Map { path, key: None }) => Some(path.clone()),
                    _ => None,
                };
                match self.node_path(Some(&value)) {
                    Some(p) => {
                        self.map.entry(p).or_insert(at);
                    }
                    None => {
                        if let Some(parent) = parent {
                            self.map.entry(join(&parent, &value)).or_insert(at);
                        }
                    }
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.node_path(None) {
                    self.map.entry(p).or_insert(at);
                }
            }
            Event::MappingStart(..) => {
                let path = self.node_path(None).unwrap_or_else(|| "?".into());
                self.map.entry(path.clone()).or_insert(at);
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.node_path(None).unwrap_or_else(|| "?".into());
                self.map.entry(path.clone()).or_insert(at);
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_point_at_their_lines() {
        let text =
            "name: x\nqueues:\n  - id: a\n    sla:\n      target: 80%\n  - id: b\n    aht: 5m\n";
        let s = Spans::build(text);
        assert_eq!(s.locate("name"), Some((1, 1)));
        assert_eq!(s.locate("queues[0].id").map(|x| x.0), Some(3));
        assert_eq!(s.locate("queues[0].sla.target").map(|x| x.0), Some(5));
        assert_eq!(s.locate("queues[1].aht"), Some((7, 5)));
        // Unknown paths fall back to their nearest ancestor.
        assert_eq!(s.locate("queues[1].nothing").map(|x| x.0), Some(6));
    }
}
