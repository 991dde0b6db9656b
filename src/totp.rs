//! RFC 6238 time-based one-time passwords (HMAC-SHA-1, 30 s steps, 6 digits: what
//! authenticator apps use) and the base32 form their QR codes carry.

use aws_lc_rs::hmac;

/// Length of one time step in seconds.
pub(crate) const STEP_SECONDS: u64 = 30;

/// The 6-digit code for time step `step` (= unix time / 30).
pub(crate) fn code_at_step(secret: &[u8], step: u64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &step.to_be_bytes());
    let mac = tag.as_ref();
    // Dynamic truncation, RFC 4226 §5.3.
    let offset = (mac[mac.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    format!("{:06}", binary % 1_000_000)
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub(crate) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_6238_sha1_test_vectors() {
        // RFC 6238 Appendix B, truncated to 6 digits.
        let secret = b"12345678901234567890";
        assert_eq!(code_at_step(secret, 59 / STEP_SECONDS), "287082");
        assert_eq!(code_at_step(secret, 1_111_111_109 / STEP_SECONDS), "081804");
        assert_eq!(code_at_step(secret, 1_234_567_890 / STEP_SECONDS), "005924");
        assert_eq!(
            code_at_step(secret, 20_000_000_000 / STEP_SECONDS),
            "353130"
        );
    }

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
    }
}
