//! The catalogue in the formats of the tools schools already use: Moodle's
//! competency-framework CSV ([`moodle_csv`]) and 1EdTech CASE 1.1 JSON
//! ([`case_package`]).
//!
//! Both are written in one language, each text falling back to French
//! where the catalogue has no translation. The words that are not
//! catalogue texts (the names of the item types, the category note, the
//! scale) come from the caller in [`ExportLabels`], so that nothing here
//! is a French sentence.

use serde::Serialize;
use serde_json::{Value, json};
use sha1::{Digest, Sha1};

use crate::catalogue::Catalogue;
use crate::model::{Category, LocalizedText};

/// The words of an export in its language, given by the caller (from its
/// translation catalogue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportLabels {
    /// The language code of the texts: `fr`, `de` or `it`.
    pub language: String,
    /// What a domain is called (the CASE item type and its description).
    pub domain: (String, String),
    /// What a competence (its work situation) is called, and its
    /// description.
    pub competence: (String, String),
    /// What a performance criterion is called, and its description.
    pub criterion: (String, String),
    /// The four category names, in [`Category::ALL`]'s order.
    pub categories: [String; 4],
    /// The note that gives a criterion's category, with a `{category}`
    /// placeholder (e.g. `Catégorie : {category}`).
    pub category_note: String,
    /// The note that gives the profile's version, with a `{version}`
    /// placeholder.
    pub version_note: String,
    /// The levels of the Moodle scale, lowest first (no commas).
    pub scale: Vec<String>,
    /// The first level (from 1) that Moodle counts as proficient.
    pub proficient_from: usize,
}

impl ExportLabels {
    fn category(&self, category: Category) -> &str {
        let index = Category::ALL.iter().position(|other| *other == category).unwrap_or_default();
        &self.categories[index]
    }

    /// The category whose name is `label`, if any.
    pub fn category_of(&self, label: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|category| self.category(*category) == label)
    }

    /// The category note of `category`.
    pub fn category_note_of(&self, category: Category) -> String {
        self.category_note.replace("{category}", self.category(category))
    }
}

/// A name-based (version 5, SHA-1) UUID after RFC 9562: the same name in
/// the same namespace always gives the same identifier.
pub fn uuid_v5(namespace: [u8; 16], name: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(namespace);
    hasher.update(name.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The namespace of grille's catalogue identifiers (a fixed random UUID).
pub const NAMESPACE: [u8; 16] =
    [0x1c, 0xe3, 0xbf, 0x97, 0x8e, 0xad, 0x4c, 0x7d, 0x9a, 0xc4, 0xbe, 0x57, 0x86, 0xc5, 0xa7, 0x8e];

/// The longest Moodle short name (`shorten_text(..., 100)` on import).
pub const MOODLE_SHORT_NAME: usize = 100;

/// The columns of Moodle's competency-framework CSV, in the order its
/// importer (`admin/tool/lpimportcsv`) reads them by default: it maps
/// columns by position, the names are its English labels.
pub const MOODLE_HEADER: [&str; 14] = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
];

/// Moodle's `FORMAT_PLAIN`: descriptions are plain text, paragraphs
/// separated by a blank line.
const MOODLE_PLAIN: &str = "2";

/// `text` cut to `limit` characters with an ellipsis, whole if it fits.
fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut = cut.trim_end().to_owned();
    cut.push('…');
    cut
}

/// The Moodle short name of a title, and the description paragraphs that
/// carry the full title when the short name had to be cut.
fn moodle_name(title: &str) -> (String, Vec<String>) {
    let short = shortened(title, MOODLE_SHORT_NAME);
    let lead = if short == title { Vec::new() } else { vec![title.to_owned()] };
    (short, lead)
}

/// The catalogue as Moodle's competency-framework CSV (comma-separated,
/// UTF-8, the columns of [`MOODLE_HEADER`]): a framework row (its scale,
/// the taxonomy domain → competency → indicator), then each domain, its
/// competences (parent: the domain) and their criteria (parent: the
/// competence), each with its id as ID number. Descriptions are plain
/// text: a domain's is the subject of its criteria, a competence's its
/// work situation, a criterion's its text and a note with its category;
/// a title longer than Moodle's short name comes first in full.
pub fn moodle_csv(catalogue: &Catalogue, labels: &ExportLabels) -> String {
    let language = labels.language.as_str();
    let text = |text: &LocalizedText| text.get(language).to_owned();
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut rows: Vec<[String; 14]> = Vec::new();
    let profile = catalogue.profile();
    let (short, mut description) = moodle_name(&text(&profile.title));
    description.push(labels.version_note.replace("{version}", &profile.version));
    let scale_configuration = {
        let mut items = vec![json!({"scaleid": "1"})];
        for index in 1..=labels.scale.len() {
            items.push(json!({
                "id": index,
                "scaledefault": u8::from(index == 1),
                "proficient": u8::from(index >= labels.proficient_from),
            }));
        }
        Value::Array(items).to_string()
    };
    let row = |parent: &str, id: &str, short: String, description: Vec<String>| -> [String; 14] {
        [
            parent.to_owned(),
            id.to_owned(),
            short,
            description.join("\n\n"),
            MOODLE_PLAIN.to_owned(),
            String::new(),
            String::new(),
            String::new(),
            "0".to_owned(),
            "null".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    let mut framework = row("", &format!("{}-{}", profile.id, language), short, description);
    framework[5] = labels.scale.join(",");
    framework[6] = scale_configuration;
    framework[8] = String::new();
    framework[9] = String::new();
    framework[12] = "1".to_owned();
    framework[13] = "domain,competency,indicator".to_owned();
    rows.push(framework);
    for domain in catalogue.domains() {
        let (short, mut description) = moodle_name(&text(&domain.title));
        description.push(text(&domain.criteria_subject));
        rows.push(row("", &domain.id, short, description));
        for competence in &domain.competences {
            let (short, mut description) = moodle_name(&text(&competence.title));
            description.push(text(&competence.situation));
            rows.push(row(&domain.id, &competence.id, short, description));
            for criterion in &competence.criteria {
                let full = text(&criterion.text);
                let description = vec![full.clone(), labels.category_note_of(criterion.category)];
                rows.push(row(
                    &competence.id,
                    &criterion.id,
                    shortened(&full, MOODLE_SHORT_NAME),
                    description,
                ));
            }
        }
    }
    // Writing into memory cannot fail.
    let _ = writer.write_record(MOODLE_HEADER);
    for row in &rows {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The identifier of one object of a CASE export: a v5 UUID of the
/// profile, the language and the object's kind and id.
pub fn case_identifier(catalogue: &Catalogue, language: &str, kind: &str, id: &str) -> String {
    uuid_v5(NAMESPACE, &format!("{}:{language}:{kind}:{id}", catalogue.profile().id))
}

/// The URI of a CASE object: its identifier as a `urn:uuid:` URI, the
/// same in every export and on every server.
pub fn case_uri(identifier: &str) -> String {
    format!("urn:uuid:{identifier}")
}

/// The catalogue as a 1EdTech CASE 1.1 package (`CFPackage`): the profile
/// as `CFDocument`; domains, competences and criteria as `CFItems` of
/// three `CFItemType`s (defined in `CFDefinitions`); their tree as
/// `isChildOf` associations (a domain is a child of the document). Every
/// identifier is a v5 UUID of the profile, language and id, so every
/// export of a catalogue in one language gives the same identifiers and
/// URIs; the change date is the profile's version date.
///
/// Where the texts go: a domain's title is its `fullStatement` and the
/// subject of its criteria the extension `criteriaSubject`; a
/// competence's title its `fullStatement`, its short title the
/// `abbreviatedStatement`, its work situation the `notes`; a criterion's
/// text its `fullStatement`, its category a `conceptKeywords` entry.
/// Codes (`A`, `A7`, `A7.k2`) are each item's `humanCodingScheme`.
pub fn case_package(catalogue: &Catalogue, labels: &ExportLabels) -> Value {
    let language = labels.language.as_str();
    let text = |text: &LocalizedText| text.get(language).to_owned();
    let profile = catalogue.profile();
    let changed = format!("{}T00:00:00Z", profile.version);
    let id = |kind: &str, of: &str| case_identifier(catalogue, language, kind, of);
    let document_id = id("document", &profile.id);
    let document_title = text(&profile.title);
    let item_types: Vec<(&str, &(String, String), String)> = vec![
        ("domain", &labels.domain, id("item-type", "domain")),
        ("competence", &labels.competence, id("item-type", "competence")),
        ("criterion", &labels.criterion, id("item-type", "criterion")),
    ];
    let type_link = |index: usize| {
        let (_, (title, _), identifier) = &item_types[index];
        json!({"title": title, "identifier": identifier, "uri": case_uri(identifier)})
    };
    let mut items = Vec::new();
    let mut associations = Vec::new();
    let mut associate = |child: (&str, &str), parent: (&str, &str), sequence: usize| {
        let identifier = id("association", child.1);
        associations.push(json!({
            "identifier": identifier,
            "associationType": "isChildOf",
            "sequenceNumber": sequence,
            "uri": case_uri(&identifier),
            "originNodeURI": {"title": child.1, "identifier": child.0, "uri": case_uri(child.0)},
            "destinationNodeURI": {"title": parent.1, "identifier": parent.0, "uri": case_uri(parent.0)},
            "lastChangeDateTime": changed,
        }));
    };
    for (d, domain) in catalogue.domains().iter().enumerate() {
        let domain_id = id("item", &domain.id);
        items.push(json!({
            "identifier": domain_id,
            "uri": case_uri(&domain_id),
            "fullStatement": text(&domain.title),
            "humanCodingScheme": domain.id,
            "listEnumeration": (d + 1).to_string(),
            "CFItemType": labels.domain.0,
            "CFItemTypeURI": type_link(0),
            "language": language,
            "lastChangeDateTime": changed,
            "extensions": {"criteriaSubject": text(&domain.criteria_subject)},
        }));
        associate((&domain_id, &domain.id), (&document_id, &profile.id), d + 1);
        for (c, competence) in domain.competences.iter().enumerate() {
            let competence_id = id("item", &competence.id);
            let mut item = json!({
                "identifier": competence_id,
                "uri": case_uri(&competence_id),
                "fullStatement": text(&competence.title),
                "humanCodingScheme": competence.id,
                "listEnumeration": (c + 1).to_string(),
                "notes": text(&competence.situation),
                "CFItemType": labels.competence.0,
                "CFItemTypeURI": type_link(1),
                "language": language,
                "lastChangeDateTime": changed,
            });
            if let Some(short_title) = &competence.short_title {
                item["abbreviatedStatement"] = Value::from(text(short_title));
            }
            items.push(item);
            associate((&competence_id, &competence.id), (&domain_id, &domain.id), c + 1);
            for (k, criterion) in competence.criteria.iter().enumerate() {
                let criterion_id = id("item", &criterion.id);
                items.push(json!({
                    "identifier": criterion_id,
                    "uri": case_uri(&criterion_id),
                    "fullStatement": text(&criterion.text),
                    "humanCodingScheme": criterion.id,
                    "listEnumeration": (k + 1).to_string(),
                    "conceptKeywords": [labels.category(criterion.category)],
                    "CFItemType": labels.criterion.0,
                    "CFItemTypeURI": type_link(2),
                    "language": language,
                    "lastChangeDateTime": changed,
                }));
                associate((&criterion_id, &criterion.id), (&competence_id, &competence.id), k + 1);
            }
        }
    }
    let item_types: Vec<Value> = item_types
        .iter()
        .enumerate()
        .map(|(index, (code, (title, description), identifier))| {
            json!({
                "identifier": identifier,
                "uri": case_uri(identifier),
                "title": title,
                "description": description,
                "hierarchyCode": (index + 1).to_string(),
                "typeCode": code,
                "lastChangeDateTime": changed,
            })
        })
        .collect();
    json!({
        "CFDocument": {
            "identifier": document_id,
            "uri": case_uri(&document_id),
            "creator": "grille",
            "title": document_title,
            "lastChangeDateTime": changed,
            "version": profile.version,
            "language": language,
            "caseVersion": "1.1",
            "notes": labels.version_note.replace("{version}", &profile.version),
            "extensions": {"profile": profile.id},
        },
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": item_types},
    })
}

/// The CASE package as pretty JSON text, its members in the order of the
/// specification (`CFDocument`, `CFItems`, `CFAssociations`,
/// `CFDefinitions`), ending with a line break.
pub fn case_package_json(catalogue: &Catalogue, labels: &ExportLabels) -> String {
    #[derive(Serialize)]
    struct Ordered<'a> {
        #[serde(rename = "CFDocument")]
        document: &'a Value,
        #[serde(rename = "CFItems")]
        items: &'a Value,
        #[serde(rename = "CFAssociations")]
        associations: &'a Value,
        #[serde(rename = "CFDefinitions")]
        definitions: &'a Value,
    }
    let package = case_package(catalogue, labels);
    let ordered = Ordered {
        document: &package["CFDocument"],
        items: &package["CFItems"],
        associations: &package["CFAssociations"],
        definitions: &package["CFDefinitions"],
    };
    let mut text = serde_json::to_string_pretty(&ordered).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_based_uuids_follow_rfc_9562() {
        // The RFC's own example: "www.example.com" in the DNS namespace.
        let dns =
            [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];
        assert_eq!(uuid_v5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
        assert_ne!(uuid_v5(NAMESPACE, "a"), uuid_v5(NAMESPACE, "b"));
    }

    #[test]
    fn long_titles_are_cut_for_moodle_and_kept_whole_in_the_description() {
        assert_eq!(moodle_name("Court"), ("Court".to_owned(), Vec::new()));
        let long = "mot ".repeat(40);
        let (short, lead) = moodle_name(long.trim());
        assert_eq!(short.chars().count(), 100, "{short}");
        assert!(short.ends_with('…'));
        assert_eq!(lead, vec![long.trim().to_owned()]);
    }
}
