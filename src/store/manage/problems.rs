//! Why a management operation refused: every bad field at once, an unknown record, or a
//! clash with an existing one.

use std::collections::BTreeMap;

/// Problems per field (`{"email": ["Invalid email format"], …}`), in field-name order, each
/// field's messages in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FieldProblems(BTreeMap<String, Vec<String>>);

impl FieldProblems {
    /// Notes one problem with `field`.
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Whether no field has a problem.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when there is no problem, else the refusal listing them all.
    pub(crate) fn into_result(self) -> Result<(), Refusal> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Refusal::Invalid(self))
        }
    }

    /// The problems, by field.
    pub(crate) fn into_map(self) -> BTreeMap<String, Vec<String>> {
        self.0
    }

    /// Notes every name of `wanted` that `known` lacks, as one message on `field`.
    pub(crate) fn unknown_names<'a>(
        &mut self,
        field: &str,
        kind: &str,
        wanted: &[String],
        known: impl Iterator<Item = &'a str> + Clone,
    ) {
        let unknown: Vec<&str> = wanted
            .iter()
            .map(String::as_str)
            .filter(|w| !known.clone().any(|k| k == *w))
            .collect();
        if !unknown.is_empty() {
            let mut existing: Vec<&str> = known.collect();
            existing.sort_unstable();
            self.add(
                field,
                format!(
                    "Unknown {kind} {unknown:?}; the {kind}s are {existing:?}. Create it first with POST /{kind}s"
                ),
            );
        }
    }
}

/// A refused management operation; nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 400 `ValidationError`: every bad field, each with every problem found.
    Invalid(FieldProblems),
    /// 404 `NotFound`: what was looked for, and how to find what exists.
    NotFound(String),
    /// 409 `Conflict`: what clashes, and the fields at fault.
    Conflict(String, FieldProblems),
}

impl Refusal {
    /// 409 on one field.
    pub(crate) fn conflict(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldProblems::default();
        fields.add(field, message.clone());
        Refusal::Conflict(message, fields)
    }
}
