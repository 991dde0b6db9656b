//! [`Annotation`]: what a handler knows about a request better than its parameters do,
//! handed to the journal in the response's extensions (so nothing writes back up the
//! chain: the handler answers, the serve loop records the answer).

use crate::grant::TokenPlan;
use crate::http::answer::HttpResponse;

/// The client and user a request concerned, as the handler established them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Annotation {
    pub(crate) client_id: Option<String>,
    pub(crate) username: Option<String>,
}

impl Annotation {
    /// What a token answer concerned: the client the tokens were issued to and, for user
    /// tokens, the user (an exchanged code or refresh token names neither in its params).
    pub(crate) fn of_tokens(plan: &TokenPlan) -> Self {
        Self {
            client_id: Some(plan.client_id().to_owned()),
            username: plan.username().map(str::to_owned),
        }
    }

    /// `response`, carrying this annotation to the journal.
    pub(crate) fn attach(self, mut response: HttpResponse) -> HttpResponse {
        response.extensions_mut().insert(self);
        response
    }
}
