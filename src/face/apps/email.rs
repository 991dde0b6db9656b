//! The email rule of the apps face: trimmed, lower-cased and syntax-checked. Uniqueness per
//! app is the store's one rule for every user (`Store::add_user`).

/// Longest address accepted (RFC 5321's path limit less the angle brackets).
const MAX_EMAIL: usize = 254;
/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL: usize = 64;

/// `raw` trimmed and lower-cased, or what is wrong with it.
pub(super) fn normalize(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    if is_email(&email) {
        Ok(email)
    } else {
        Err("must be an email address such as user@example.com")
    }
}

/// `local@domain`: a local part of visible ASCII without specials, a domain of two or
/// more dot-separated labels of letters, digits and inner hyphens.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= MAX_LOCAL
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | '\\' | ']'
                )
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    email.len() <= MAX_EMAIL && local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        assert_eq!(
            normalize("  Jane.Doe+x@Example.COM ").unwrap(),
            "jane.doe+x@example.com"
        );
    }

    #[test]
    fn what_is_no_email_is_refused() {
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@@example.com",
            "ja ne@example.com",
            "jane@exa mple.com",
            "jane@-example.com",
            "jane@example..com",
            ".jane@example.com",
            "jane..doe@example.com",
            "jane@example.com.",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?}");
        }
        assert!(normalize(&format!("{}@example.com", "a".repeat(65))).is_err());
    }
}
