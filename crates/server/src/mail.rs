//! E-mail through an SMTP relay that the board configures (`grille serve
//! --smtp URL --smtp-from ADDRESS`). Nothing in grille needs it: without a
//! relay, the pages show reminders to copy and temporary passwords to hand
//! over; with one, they can also be sent.
//!
//! The relay is reached with TLS (OWASP ASVS V9.2: outbound connections
//! encrypted): `smtps://` (implicit TLS, port 465) or `smtp://…?tls=required`
//! (STARTTLS, port 587), the certificate checked against the Mozilla roots.
//! Plain `smtp://` is accepted only to a relay on this machine (loopback),
//! such as a local Postfix that relays onwards. The password in the URL is
//! never printed ([`MailConfig`]'s `Debug` shows the relay's host only).

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP exchange may take before the send is given up.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// The SMTP relay and the sender's address.
#[derive(Clone)]
pub struct MailConfig {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("MailConfig").field("host", &self.host).field("from", &self.from).finish()
    }
}

/// Why the relay's URL or the sender's address is refused, in French (the
/// command line prints it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailConfigError {
    /// Not a URL grille can reach a relay with.
    #[error(
        "adresse du serveur SMTP invalide ({0}) : smtps://utilisateur:motdepasse@hote:465 ou smtp://hote:587?tls=required"
    )]
    Url(String),
    /// A relay on another machine without TLS.
    #[error(
        "le serveur SMTP {0} n'est pas sur cette machine : une connexion chiffrée est requise (smtps://… ou smtp://…?tls=required)"
    )]
    Plain(String),
    /// The sender's address does not parse.
    #[error("adresse d'expéditeur invalide : {0}")]
    From(String),
}

impl MailConfig {
    /// The relay of `url`, sending as `from` (`Commission <examens@…>` or
    /// a bare address).
    pub fn new(url: &str, from: &str) -> Result<MailConfig, MailConfigError> {
        let parsed = url::Url::parse(url).map_err(|error| MailConfigError::Url(error.to_string()))?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") {
            return Err(MailConfigError::Url(format!("schéma {}", parsed.scheme())));
        }
        let host = parsed
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| MailConfigError::Url("hôte manquant".to_owned()))?;
        let tls = parsed.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
        let encrypted = parsed.scheme() == "smtps" || tls.as_deref() == Some("required");
        let loopback = host == "localhost"
            || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !encrypted && !loopback {
            return Err(MailConfigError::Plain(host.to_owned()));
        }
        let host = host.to_owned();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| MailConfigError::Url(error.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from =
            from.parse::<Mailbox>().map_err(|error| MailConfigError::From(format!("{from} ({error})")))?;
        Ok(MailConfig { transport, from, host })
    }

    /// Sends a plain-text message to `to`. The error says what the relay
    /// answered, for the board (never the message).
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|error| format!("adresse {to} : {error}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|error| error.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|error| error.to_string())
    }
}

/// The language an e-mail is written in, from a request's optional
/// `language` (`fr` when absent); an unknown code is a 422 at `/language`.
pub(crate) fn mail_language(
    code: Option<&str>,
) -> Result<grille_report::i18n::Language, crate::error::ApiError> {
    use grille_report::i18n::Language;
    match code {
        None => Ok(Language::Fr),
        Some(code) => Language::parse(code).ok_or_else(|| {
            crate::error::ApiError::Invalid(vec![crate::error::FieldError::said_at(
                "/language",
                grille_scoring::Message::new(grille_scoring::MessageCode::MailLanguageUnknown),
            )])
        }),
    }
}

/// Whether `text` looks like an e-mail address a relay would take: one
/// `@` with something on each side, a dot in the domain, no spaces or
/// control characters, at most 254 characters.
pub fn plausible_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    text.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && text.parse::<Mailbox>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relays_are_reached_with_tls_or_on_this_machine() {
        let from = "Commission <examens@example.ch>";
        for url in [
            "smtps://user:secret@mail.example.ch",
            "smtp://user:secret@mail.example.ch:587?tls=required",
            "smtp://127.0.0.1:2525",
            "smtp://localhost",
        ] {
            let config = MailConfig::new(url, from).unwrap_or_else(|error| panic!("{url}: {error}"));
            assert!(!format!("{config:?}").contains("secret"), "the password is never printed");
        }
        for (url, expected) in [
            ("smtp://mail.example.ch", "n'est pas sur cette machine"),
            ("smtp://mail.example.ch?tls=opportunistic", "n'est pas sur cette machine"),
            ("http://mail.example.ch", "invalide"),
            ("pas une adresse", "invalide"),
        ] {
            let error = MailConfig::new(url, from).unwrap_err().to_string();
            assert!(error.contains(expected), "{url}: {error}");
        }
        assert!(matches!(
            MailConfig::new("smtp://localhost", "pas-une-adresse"),
            Err(MailConfigError::From(_))
        ));
    }

    #[test]
    fn addresses_are_checked_before_they_are_stored() {
        for good in ["anna.muster@example.ch", "exp-01@ecole.example.org"] {
            assert!(plausible_address(good), "{good}");
        }
        for bad in [
            "",
            "anna",
            "@example.ch",
            "anna@",
            "anna@example",
            "anna muster@example.ch",
            "a@b@c.ch",
            "anna@.ch",
        ] {
            assert!(!plausible_address(bad), "{bad}");
        }
    }
}
