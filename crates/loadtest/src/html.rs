//! Just enough HTML reading for the load test: the links, drop-down lists and forms of
//! dakwacht's own pages, as a browser would read them (attribute values unescaped, a form's
//! fields as it would send them).

/// A start tag: its lower-case name, its attributes (unescaped; `None` for a bare attribute
/// such as `checked`), and where in the page it ends.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, Option<String>)>,
    pub end: usize,
}

impl Tag {
    /// The value of an attribute; `""` for a bare one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    pub fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|(n, _)| n == name)
    }
}

/// Text with its character references replaced, as askama writes them (`&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&#39;`, `&#x27;`, …).
pub fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity.strip_prefix('#').and_then(|number| {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The start tag that begins at `start` (at its `<`), if one does.
fn tag_at(html: &str, start: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    let name_start = i;
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some(Tag {
                name,
                attributes,
                end: i + 1,
            });
        }
        let attribute_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let attribute = html[attribute_start..i].to_ascii_lowercase();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let value = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_start = i + 1;
                    let len = html[value_start..].find(char::from(quote))?;
                    i = value_start + len + 1;
                    &html[value_start..value_start + len]
                }
                _ => {
                    let value_start = i;
                    while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    &html[value_start..i]
                }
            };
            attributes.push((attribute, Some(unescape(value))));
        } else {
            attributes.push((attribute, None));
        }
    }
}

/// Every start tag of a page, in order.
pub fn tags(html: &str) -> impl Iterator<Item = (usize, Tag)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let at = from + html.get(from..)?.find('<')?;
            from = at + 1;
            if let Some(tag) = tag_at(html, at) {
                from = tag.end;
                return Some((at, tag));
            }
        }
    })
}

/// The links to case pages (`/cases/ORGANISATION/REFERENCE`) on a page, as their addresses.
pub fn case_links(html: &str) -> Vec<String> {
    tags(html)
        .filter(|(_, tag)| tag.name == "a")
        .filter_map(|(_, tag)| tag.get("href").map(str::to_string))
        .filter(|href| is_case_path(href))
        .collect()
}

/// Whether an address is a case's page: `/cases/ORGANISATION/REFERENCE`, nothing more.
fn is_case_path(href: &str) -> bool {
    let Some(rest) = href.strip_prefix("/cases/") else {
        return false;
    };
    let mut parts = rest.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(organisation), Some(reference), None)
            if !organisation.is_empty() && !reference.is_empty() && !rest.contains(['?', '#'])
    )
}

/// The next page's link of the case list (`/cases?…after=…`), if the page has one.
pub fn next_page_link(html: &str) -> Option<String> {
    tags(html)
        .filter(|(_, tag)| tag.name == "a")
        .filter_map(|(_, tag)| tag.get("href").map(str::to_string))
        .find(|href| {
            href.starts_with("/cases?") && (href.contains("?after=") || href.contains("&after="))
        })
}

/// The values of the options of the drop-down list named `name`, without the empty one
/// ("all", "unknown").
pub fn select_options(html: &str, name: &str) -> Vec<String> {
    let Some((_, select)) =
        tags(html).find(|(_, tag)| tag.name == "select" && tag.get("name") == Some(name))
    else {
        return Vec::new();
    };
    let list = &html[select.end..];
    let list = &list[..list.find("</select>").unwrap_or(list.len())];
    tags(list)
        .filter(|(_, tag)| tag.name == "option")
        .filter_map(|(_, tag)| tag.get("value").map(str::to_string))
        .filter(|value| !value.is_empty())
        .collect()
}

/// The fields the first form whose action `action` accepts would send as it stands: hidden and
/// text inputs, ticked checkboxes (`on`), each drop-down list's chosen option (the first when
/// none is), text areas. `None` when the page has no such form.
pub fn form_fields(html: &str, action: impl Fn(&str) -> bool) -> Option<Vec<(String, String)>> {
    let (_, form) =
        tags(html).find(|(_, tag)| tag.name == "form" && tag.get("action").is_some_and(&action))?;
    let end = form.end + html[form.end..].find("</form>")?;
    let body = &html[form.end..end];
    let mut fields = Vec::new();
    // The drop-down list being read: its name, and whether an option was chosen.
    let mut select: Option<(String, Option<String>, Option<String>)> = None;
    let mut skip_to = 0;
    for (at, tag) in tags(body) {
        if at < skip_to {
            continue;
        }
        // A list ends where the next control starts (the template closes each before another).
        if tag.name != "option"
            && let Some((name, chosen, first)) = select.take()
            && let Some(value) = chosen.or(first)
        {
            fields.push((name, value));
        }
        let Some(name) = tag.get("name").map(str::to_string) else {
            if tag.name == "option"
                && let Some((_, chosen, first)) = select.as_mut()
            {
                let value = tag.get("value").unwrap_or_default().to_string();
                if first.is_none() {
                    *first = Some(value.clone());
                }
                if tag.has("selected") {
                    *chosen = Some(value);
                }
            }
            continue;
        };
        match tag.name.as_str() {
            "input" => match tag.get("type").unwrap_or("text") {
                "checkbox" | "radio" => {
                    if tag.has("checked") {
                        fields.push((name, tag.get("value").unwrap_or("on").to_string()));
                    }
                }
                "submit" | "button" | "reset" | "file" | "image" => {}
                _ => fields.push((name, tag.get("value").unwrap_or_default().to_string())),
            },
            "select" => select = Some((name, None, None)),
            "textarea" => {
                let close = body[tag.end..]
                    .find("</textarea>")
                    .map_or(body.len(), |n| tag.end + n);
                let text = &body[tag.end..close];
                // A browser drops one line break right after the opening tag.
                let text = text.strip_prefix('\n').unwrap_or(text);
                fields.push((name, unescape(text)));
                skip_to = close;
            }
            _ => {}
        }
    }
    if let Some((name, chosen, first)) = select
        && let Some(value) = chosen.or(first)
    {
        fields.push((name, value));
    }
    Some(fields)
}

/// The text of a page's error messages (`class="error"`), tags left out, for the log of a
/// failed request; the page's start when it has none.
pub fn error_text(html: &str) -> String {
    let mut found = Vec::new();
    for (_, tag) in tags(html) {
        if tag
            .get("class")
            .is_some_and(|c| c.split(' ').any(|c| c == "error"))
        {
            let rest = &html[tag.end..];
            let close = rest.find(&format!("</{}>", tag.name)).unwrap_or(rest.len());
            found.push(without_tags(&rest[..close]));
        }
    }
    let text = if found.is_empty() {
        without_tags(html)
    } else {
        found.join(" / ")
    };
    text.chars().take(300).collect()
}

fn without_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    unescape(
        out.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_unescaped() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27;"),
            "a & b <c> \"d\" 'e'"
        );
        assert_eq!(
            unescape("100% & more &unknown; &"),
            "100% & more &unknown; &"
        );
    }

    #[test]
    fn case_links_and_the_next_page_are_found() {
        let html = r#"<nav><a href="/cases">Cases</a></nav><p><a href="/cases/new">New</a></p>
<tr><th scope="row"><a href="/cases/Stichting%20Kernkracht/G-0000001">G-0000001</a></th></tr>
<tr><th scope="row"><a href="/cases/Straatalliantie/G-0000002">G-0000002</a></th></tr>
<a href="/cases/Straatalliantie/G-0000002/edit">Edit</a>
<p><a href="/cases?tenancy=private&amp;after=G-0000002">Next</a></p>"#;
        assert_eq!(
            case_links(html),
            [
                "/cases/Stichting%20Kernkracht/G-0000001",
                "/cases/Straatalliantie/G-0000002"
            ]
        );
        assert_eq!(
            next_page_link(html).as_deref(),
            Some("/cases?tenancy=private&after=G-0000002")
        );
        assert_eq!(next_page_link("<a href=\"/cases\">x</a>"), None);
    }

    #[test]
    fn options_of_one_list_are_read() {
        let html = r#"<select id="tenancy" name="tenancy"><option value="">All</option>
<option value="corporation">Corporation</option><option value="private" selected>Private</option></select>
<select id="route" name="route"><option value="">All</option><option value="left_other">Left</option></select>"#;
        assert_eq!(select_options(html, "tenancy"), ["corporation", "private"]);
        assert_eq!(select_options(html, "route"), ["left_other"]);
        assert!(select_options(html, "signal").is_empty());
    }

    #[test]
    fn error_messages_are_found() {
        let html = r#"<h1>Form</h1><div class="error" role="alert"><p>Saved by <b>jan</b> &amp; more</p></div><p class="hint">x</p>"#;
        assert_eq!(error_text(html), "Saved by jan & more");
        assert_eq!(error_text("<p>Nothing &lt;here&gt;</p>"), "Nothing <here>");
    }

    #[test]
    fn a_form_is_read_as_a_browser_sends_it() {
        let html = r#"<form method="post" action="/logout"><input type="hidden" name="csrf" value="other"></form>
<form method="post" action="/cases/A%20B/G-1/edit" novalidate>
<input type="hidden" name="csrf" value="tok&amp;en">
<input type="hidden" name="version" value="7">
<input id="organisation" name="organisation" value="A B" readonly aria-describedby="x">
<select id="tenancy" name="tenancy">
<option value="">unknown</option><option value="private" selected>private</option>
</select>
<select id="route" name="route">
<option value="">unknown</option><option value="left_other">left</option>
</select>
<div class="choice"><input type="checkbox" id="other_reasons-crime" name="other_reasons-crime" checked> <label>x</label></div>
<div class="choice"><input type="checkbox" id="other_reasons-debt" name="other_reasons-debt"> <label>y</label></div>
<textarea id="notes" name="notes" rows="5">Line &lt;1&gt;
<b>not a tag</b></textarea>
<input id="reported_on" name="reported_on" value="03-04-2024">
<button type="submit">Save</button>
</form>"#;
        let fields = form_fields(html, |a| a.ends_with("/edit")).expect("the form");
        let expected: Vec<(String, String)> = [
            ("csrf", "tok&en"),
            ("version", "7"),
            ("organisation", "A B"),
            ("tenancy", "private"),
            ("route", ""),
            ("other_reasons-crime", "on"),
            ("notes", "Line <1>\n<b>not a tag</b>"),
            ("reported_on", "03-04-2024"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(fields, expected);
        assert!(form_fields(html, |a| a == "/elsewhere").is_none());
    }
}
