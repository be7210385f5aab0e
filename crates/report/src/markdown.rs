//! Markdown of case studies (situations, tasks) as safe HTML: raw HTML in
//! the text is shown as text, links keep only `http`, `https` and `mailto`
//! addresses, and images are replaced by their description (a case's
//! pictures are attachments, checked by content, never remote files).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// The HTML of `text`, safe to insert in a page.
pub fn to_safe_html(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Links are kept only with a safe address; the end of a dropped link is
    // dropped too, so the stack tells which ends to keep.
    let mut kept_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            // An e-mail autolink (`<a@b.ch>`) has its address without `mailto:`.
            let safe = link_type == LinkType::Email || is_safe_address(&dest_url);
            kept_links.push(safe);
            safe.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(TagEnd::Link) => kept_links.pop().unwrap_or(false).then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { .. }) => Some(Event::Text("[".into())),
        Event::End(TagEnd::Image) => Some(Event::Text("]".into())),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn is_safe_address(address: &str) -> bool {
    let lower = address.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_is_rendered_and_nothing_unsafe_gets_through() {
        let cases = [
            ("**gras** et *italique*", "<p><strong>gras</strong> et <em>italique</em></p>\n"),
            ("- un\n- deux", "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("a <b onclick=x>b</b>", "&lt;b onclick=x&gt;"),
            ("[lien](javascript:alert(1))", "<p>lien</p>\n"),
            ("[site](https://example.org)", "<a href=\"https://example.org\">site</a>"),
            ("![plan](https://example.org/x.png)", "<p>[plan]</p>\n"),
            ("[x](data:text/html,<script>)", "<p>x</p>\n"),
        ];
        for (text, expected) in cases {
            let html = to_safe_html(text);
            assert!(html.contains(expected), "{text:?} gave {html:?}");
            assert!(!html.contains("<script"), "{text:?} gave {html:?}");
        }
    }
}
