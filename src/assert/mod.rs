//! Assertions a test makes after the fact: over one token (verified against the server's
//! own keys before a single claim is read, the openidconnect-rs habit) and over what the
//! token endpoint issued (read from the journal, so it reflects HTTP issuance).
//!
//! Every assertion is `#[track_caller]`, so a failure points at the test's line, and says
//! `expected <what>, found <what>` followed by the evidence: the decoded claims, or the
//! recorded token requests.

mod issued;
mod token;

pub use issued::IssuedAssertion;
pub use token::TokenAssertion;
