//! Reports people read: `report.html` for a plan (from its output folder,
//! so that `slaplan report <dir>` rebuilds it) and `compare.html` for a
//! scenario comparison. One self-contained file each: inline SVG charts
//! drawn with plotters, inline CSS, no script, no network; XHTML-clean so
//! that an XML parser reads it, and printable.

pub mod charts;
pub mod compare;
pub mod plan;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; display: block; max-width: 100%; overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.bad { color: #b00; font-weight: bold; }
p.verdict { font-size: 1.15rem; font-weight: bold; padding: 0.5rem 0.8rem; border-left: 0.4rem solid; }
p.verdict.ok { border-color: #2a7d2a; background: #eef7ee; }
p.verdict.bad { border-color: #b00; background: #fbeeee; }
p.verdict.warn { border-color: #b8860b; background: #fbf6e9; }
figure { margin: 0.5rem 0; }
figure svg { max-width: 100%; height: auto; }
nav a { margin-right: 0.8rem; }
p.note { color: #555; font-size: 0.85rem; }
table.sortable th { cursor: pointer; }
table.sortable { max-height: 32rem; overflow-y: auto; }
table.sortable thead th { position: sticky; top: 0; background: #fff; }
table.sortable th, table.sortable td { white-space: nowrap; }
table.sortable td:nth-child(2) { text-align: left; }
table.sortable th[data-dir=asc]::after { content: ' \\25B2'; }
table.sortable th[data-dir=desc]::after { content: ' \\25BC'; }
table.heat { font-size: 0.6rem; }
table.heat caption { text-align: left; font-weight: bold; font-size: 0.85rem; }
table.heat th, table.heat td { padding: 0.1rem 0.15rem; min-width: 1.1rem; text-align: center; border-color: #e4e4e4; }
table.heat td.closed { background: #f4f4f4; }
span.under { color: #d73027; font-weight: bold; }
span.over { color: #4575b4; font-weight: bold; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  nav { display: none; }
  body { max-width: none; margin: 0; }
  table { display: table; }
  thead { display: table-header-group; }
  tr, figure { page-break-inside: avoid; break-inside: avoid; }
  table.sortable th::after { content: none; }
  table.sortable { max-height: none; overflow: visible; }
}
";

/// The page's one script, inline (the page loads nothing): a click on
/// the head of a sortable table's column sorts its rows by it, numbers as
/// numbers, again to reverse. Written without `<` and `&` so that the
/// page stays well-formed XML.
const SCRIPT: &str = "
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var col = th.cellIndex;
    var asc = th.dataset.dir !== 'asc';
    th.closest('tr').querySelectorAll('th').forEach(function (o) { delete o.dataset.dir; });
    var key = function (row) { return row.cells[col].textContent.trim(); };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
      var c = (x !== '' ? (y !== '' ? (isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny) : 1) : (y !== '' ? -1 : 0));
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    th.dataset.dir = asc ? 'asc' : 'desc';
  });
});
";

/// A whole page: title, navigation over the sections, the sections.
pub(crate) fn page(title: &str, subtitle: &str, sections: &[(&str, &str, String)]) -> String {
    let mut h = String::from("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n<nav>",
        esc(title),
        esc(subtitle)
    ));
    for (id, name, _) in sections {
        h.push_str(&format!("<a href=\"#{id}\">{}</a>", esc(name)));
    }
    h.push_str("</nav>\n");
    for (id, name, body) in sections {
        h.push_str(&format!(
            "<section id=\"{id}\">\n<h2>{}</h2>\n{body}</section>\n",
            esc(name)
        ));
    }
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    h
}

/// A chart in a figure, named for tests and readers.
pub(crate) fn figure(kind: &str, name: &str, svg: Result<String, String>) -> String {
    match svg {
        Ok(svg) => format!(
            "<figure class=\"chart\" data-chart=\"{}\" data-name=\"{}\">\n{}\n</figure>\n",
            esc(kind),
            esc(name),
            strip_xml_declaration(&svg)
        ),
        Err(e) => format!("<p class=\"note\">{}: {}</p>\n", esc(name), esc(&e)),
    }
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// A table from a header and rows of cells; a cell starting with `!` is
/// marked as bad.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_with(header, rows, "")
}

/// A table of `class` (`sortable`: the page's script sorts it by the
/// column whose head is clicked); its head repeats on each printed page.
pub(crate) fn table_with(header: &[&str], rows: &[Vec<String>], class: &str) -> String {
    let mut h = if class.is_empty() {
        String::from("<table>\n<thead><tr>")
    } else {
        format!("<table class=\"{}\">\n<thead><tr>", esc(class))
    };
    for c in header {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            match c.strip_prefix('!') {
                Some(bad) => h.push_str(&format!("<td class=\"bad\">{}</td>", esc(bad))),
                None => h.push_str(&format!("<td>{}</td>", esc(c))),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

/// A number with two decimals and thousands separated by thin spaces.
pub(crate) fn money(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, dec) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{dec}", if x < 0.0 { "-" } else { "" })
}

/// A long list as people read it, on a page or a terminal: its first ten
/// items, and how many more there are (in the JSON file).
pub fn capped<T>(items: &[T]) -> (&[T], usize) {
    const SHOWN: usize = 10;
    let n = items.len().min(SHOWN);
    (&items[..n], items.len() - n)
}

/// A list of at most ten messages, then how many more and where they
/// are: a week that cannot be planned may have dozens of shortfalls.
pub(crate) fn capped_list(messages: &[String], more_in: &str) -> String {
    let (shown, more) = capped(messages);
    let mut h = String::from("<ul class=\"risks\">\n");
    for m in shown {
        h.push_str(&format!("<li>{}</li>\n", esc(m)));
    }
    if more > 0 {
        h.push_str(&format!("<li>and {more} more ({})</li>\n", esc(more_in)));
    }
    h.push_str("</ul>\n");
    h
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}
