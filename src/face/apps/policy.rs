//! The password policy of an app (this default for every app for now): 8 to 128
//! characters with at least one upper-case letter, one lower-case letter, one digit and one
//! other character that is not a space. Signup applies it; a failure names every rule the
//! password fails.

/// Fewest characters.
const MIN_LENGTH: usize = 8;
/// Most characters.
const MAX_LENGTH: usize = 128;

/// The names of the rules `password` fails, in the policy's order (`min_length`,
/// `max_length`, `uppercase`, `lowercase`, `number`, `special`); empty when it passes.
pub(super) fn failed_rules(password: &str) -> Vec<&'static str> {
    let length = password.chars().count();
    let has = |test: fn(char) -> bool| password.chars().any(test);
    let rules: [(&'static str, bool); 6] = [
        ("min_length", length >= MIN_LENGTH),
        ("max_length", length <= MAX_LENGTH),
        ("uppercase", has(char::is_uppercase)),
        ("lowercase", has(char::is_lowercase)),
        ("number", has(char::is_numeric)),
        (
            "special",
            has(|c| !c.is_alphanumeric() && !c.is_whitespace()),
        ),
    ];
    rules
        .into_iter()
        .filter(|(_, passes)| !passes)
        .map(|(name, _)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::failed_rules;

    #[test]
    fn each_rule_is_named_when_it_fails() {
        assert!(failed_rules("MyP@ssw0rd!").is_empty());
        assert_eq!(
            failed_rules("abc"),
            ["min_length", "uppercase", "number", "special"]
        );
        assert_eq!(failed_rules("ABCDEFG1!"), ["lowercase"]);
        assert_eq!(failed_rules("abcdefg1!"), ["uppercase"]);
        assert_eq!(failed_rules("Abcdefgh!"), ["number"]);
        assert_eq!(failed_rules("Abcdefg1 "), ["special"]);
        let long = format!("Aa1!{}", "x".repeat(125));
        assert_eq!(failed_rules(&long), ["max_length"]);
        assert_eq!(
            failed_rules(""),
            ["min_length", "uppercase", "lowercase", "number", "special"]
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(failed_rules("Ää1!ääää").is_empty());
        assert_eq!(failed_rules("Ää1!äää"), ["min_length"]);
    }
}
