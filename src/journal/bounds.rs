//! How much the journal keeps: of one value, of one request, of all of them. The journal is
//! bounded in bytes as well as in entries, so a flood of large requests (to an unknown path,
//! with long queries or bodies) costs a bounded amount of memory, and reading the journal
//! back costs a bounded amount of time.

/// The bytes a recorded value keeps (path, method, a parameter's value, client, grant,
/// user); a longer one keeps this much (cut at a character boundary) and a [marker](cut).
pub(crate) const MAX_VALUE_BYTES: usize = 256;

/// The longest parameter name kept; a longer one is dropped with its value.
pub(crate) const MAX_NAME_BYTES: usize = 64;

/// The parameters kept of one request (query and body together, the first ones).
pub(crate) const MAX_PARAMS: usize = 32;

/// The journal's byte budget by default: the approximate heap size of the kept entries.
pub(crate) const DEFAULT_BYTES: usize = 4 * 1024 * 1024;

/// `value`, owned, cut to [`MAX_VALUE_BYTES`] when longer:
/// `"AAAA…AAAA…[cut from 131072 bytes]"`.
pub(crate) fn cut(value: &str) -> String {
    if value.len() <= MAX_VALUE_BYTES {
        return value.to_owned();
    }
    let mut end = MAX_VALUE_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let marker = format!("…[cut from {} bytes]", value.len());
    let mut kept = String::with_capacity(end + marker.len());
    kept.push_str(&value[..end]);
    kept.push_str(&marker);
    kept
}

/// [`cut`] in place, allocating only when `value` is too long.
pub(crate) fn cut_in_place(value: &mut String) {
    if value.len() > MAX_VALUE_BYTES {
        *value = cut(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_at_a_character_boundary_with_a_marker() {
        assert_eq!(cut("short"), "short");
        let exact = "a".repeat(MAX_VALUE_BYTES);
        assert_eq!(cut(&exact), exact);
        let long = format!("{}é{}", "a".repeat(MAX_VALUE_BYTES - 1), "b".repeat(100));
        let kept = cut(&long);
        assert!(kept.starts_with(&"a".repeat(MAX_VALUE_BYTES - 1)));
        assert!(!kept.contains('é'), "é straddles the limit: {kept}");
        assert!(kept.ends_with(&format!("…[cut from {} bytes]", long.len())));
    }
}
