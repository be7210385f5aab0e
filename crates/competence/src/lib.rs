//! The competence catalogue of grille: the qualification profile of the
//! federal certificate in socio-professional support, as validated data.
//!
//! The crate does no I/O: callers hand it text and get a [`Catalogue`] or
//! every [`Problem`] found, each with a JSON pointer.
//!
//! ```
//! use grille_competence::{Catalogue, Category};
//!
//! let catalogue = Catalogue::embedded().expect("the shipped catalogue is valid");
//! let a7 = catalogue.competence("A7").unwrap();
//! assert_eq!(a7.title.fr, "Aider le client/la cliente sur le lieu de travail");
//! let knowledge = catalogue.criteria_in(a7, Category::Knowledge).count();
//! assert!(knowledge > 0);
//! ```

mod catalogue;
pub mod document;
pub mod export;
pub mod french_text;
pub mod message;
pub mod model;
pub mod search;
pub mod translation;
mod validate;

pub use catalogue::{Catalogue, EMBEDDED_CATALOGUE_JSON, SearchField, SearchHit};
pub use document::Problem;
pub use message::{ListSeparator, Message, MessageArg, MessageCode};
pub use model::{
    CatalogueFile, Category, Competence, Criterion, Domain, LocalizedText, Profile, Section, TranslationNote,
    TranslationSource, Translations,
};
pub use translation::{CatalogueTranslation, TranslationLanguage};
