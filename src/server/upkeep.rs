//! Upkeep: what the server does besides answering requests. Every few seconds it forgets
//! what has expired on its clock, so memory follows the live sessions, not the history.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::shared::Shared;

/// How often expired records are forgotten (wall time; expiry itself is on the server
/// clock, so `MockAuth::advance` makes the next round forget more).
const PRUNE_EVERY: Duration = Duration::from_secs(5);

/// Prunes every [`PRUNE_EVERY`] until `stop` changes or its sender is dropped.
pub(crate) async fn prune_periodically(shared: Arc<Shared>, mut stop: watch::Receiver<()>) {
    let mut tick = tokio::time::interval(PRUNE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => shared.prune(),
            _ = stop.changed() => break,
        }
    }
}
