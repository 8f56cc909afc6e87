//! Tokens and one-time codes: random, and kept only as hashes.

use sha2::{Digest, Sha256};

/// The hash under which a token is kept.
pub(crate) fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The hash under which a code is kept: of its letters and digits only, upper-cased, so that
/// `k7qm 2xpd 9rta` matches `K7QM-2XPD-9RTA`.
pub(crate) fn code_hash(code: &str) -> Vec<u8> {
    let plain: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hash(&plain)
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

/// A bearer token: 256 random bits, as hex.
pub(crate) fn new_token() -> String {
    random::<32>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Letters and digits that cannot be mistaken for one another when read out or typed.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A one-time enrolment code for a person to type: 12 characters (60 bits) in three groups.
pub(crate) fn new_code() -> String {
    let chars: String = random::<12>()
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_hashes_stable() {
        assert_ne!(new_token(), new_token());
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert!(code
            .chars()
            .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
        assert_eq!(hash("abc"), hash("abc"));
        assert_ne!(hash("abc"), hash("abd"));
        assert_eq!(
            code_hash(&code),
            code_hash(&code.to_lowercase().replace('-', " "))
        );
    }
}
