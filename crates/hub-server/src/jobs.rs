//! What the server does on its own, every minute: events whose end has passed are marked
//! done (the website shows them so), scheduled announcements to be mailed whose time has
//! come are mailed, each Monday the week's low-attendance notices and digests go out, and
//! now and then sessions long ended are cleared away. Several copies
//! of the server may do it at once: each is idempotent.

use hub_core::Hub;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60);
/// Ended sessions are cleared every this many rounds (an hour).
const SWEEP_ROUNDS: u32 = 60;

pub async fn run(hub: Hub) {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut round = 0_u32;
    loop {
        ticks.tick().await;
        if let Err(error) = hub_core::events::mark_ended_done(hub.pool()).await {
            tracing::debug!(error = %error.to_api().message, "cannot mark ended events done now");
        }
        if let Err(error) = hub_core::announcements::mail_due(hub.pool()).await {
            tracing::warn!(error = %error.to_api().message, "cannot mail the announcements due now");
        }
        match hub_core::attendance::notices::weekly_due(hub.pool()).await {
            Ok(Some(sent)) => {
                let (notices, digests) = (sent.notices, sent.digests);
                tracing::info!(notices, digests, "this week's attendance mail is queued");
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(error = %error.to_api().message, "cannot take this week's attendance look now");
            }
        }
        if round % SWEEP_ROUNDS == 0 {
            if let Err(error) = hub_core::staff_sessions::sweep(&hub).await {
                tracing::debug!(error = %error.to_api().message, "cannot clear ended sessions now");
            }
        }
        round = round.wrapping_add(1);
    }
}
