//! At most [`MAX_IN_FLIGHT`] requests per source at once, so a fan-out (batches of ≤ 10
//! servers, pages of a list) never bursts against a server's concurrency limit.
//!
//! A thin registry of `async_lock::Semaphore`s keyed by source name; waiting, waking and
//! cancellation are the semaphore's (the hand-written gate it replaces queued a waker on every
//! poll, so one waiter polled twice took two wake-ups from the queue).

use async_lock::{Semaphore, SemaphoreGuardArc};
use std::cell::RefCell;
use std::sync::Arc;

/// The most requests in flight per source (sentry.io also limits concurrency).
pub const MAX_IN_FLIGHT: usize = 6;

/// One semaphore per source.
pub struct Limiter {
    per_source: usize,
    gates: RefCell<Vec<(String, Arc<Semaphore>)>>,
}

impl Limiter {
    /// A limiter allowing `per_source` requests at once to each source.
    pub fn new(per_source: usize) -> Limiter {
        Limiter {
            per_source: per_source.max(1),
            gates: RefCell::new(Vec::new()),
        }
    }

    fn gate(&self, source: &str) -> Arc<Semaphore> {
        let mut gates = self.gates.borrow_mut();
        if let Some((_, g)) = gates.iter().find(|(n, _)| n == source) {
            return g.clone();
        }
        let g = Arc::new(Semaphore::new(self.per_source));
        gates.push((source.to_owned(), g.clone()));
        g
    }

    /// Waits for a slot for `source`; the slot is free again when the permit drops.
    pub async fn acquire(&self, source: &str) -> SemaphoreGuardArc {
        self.gate(source).acquire_arc().await
    }
}

thread_local! {
    static LIMITER: Limiter = Limiter::new(MAX_IN_FLIGHT);
}

/// A slot for one request to `source` under the page-wide limiter.
pub async fn slot(source: &str) -> SemaphoreGuardArc {
    let gate = LIMITER.with(|l| l.gate(source));
    gate.acquire_arc().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll};

    fn poll_once<F: Future>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        let waker = futures::task::noop_waker();
        f.poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn the_seventh_request_waits_until_one_finishes() {
        let l = Limiter::new(6);
        let held: Vec<_> = (0..6)
            .map(|_| l.acquire("a").now_or_never().expect("a free slot"))
            .collect();
        let mut waiting = pin!(l.acquire("a"));
        assert!(poll_once(waiting.as_mut()).is_pending());
        drop(held.into_iter().next());
        assert!(poll_once(waiting.as_mut()).is_ready());
    }

    #[test]
    fn sources_do_not_share_slots() {
        let l = Limiter::new(2);
        let _a: Vec<_> = (0..2)
            .map(|_| l.acquire("a").now_or_never().unwrap())
            .collect();
        assert!(l.acquire("a").now_or_never().is_none());
        assert!(l.acquire("b").now_or_never().is_some());
    }

    #[test]
    fn a_waiter_polled_many_times_takes_one_slot() {
        let l = Limiter::new(1);
        let first = l.acquire("a").now_or_never().unwrap();
        let mut w1 = pin!(l.acquire("a"));
        let mut w2 = pin!(l.acquire("a"));
        for _ in 0..100 {
            assert!(poll_once(w1.as_mut()).is_pending());
        }
        assert!(poll_once(w2.as_mut()).is_pending());
        drop(first);
        // One slot freed: exactly one waiter gets it, however often the other was polled.
        let r1 = poll_once(w1.as_mut());
        let r2 = poll_once(w2.as_mut());
        assert_eq!(
            usize::from(r1.is_ready()) + usize::from(r2.is_ready()),
            1,
            "one slot, one waiter through"
        );
    }

    #[test]
    fn a_cancelled_waiter_gives_its_turn_to_the_next() {
        let l = Limiter::new(1);
        let first = l.acquire("a").now_or_never().unwrap();
        {
            let mut gone = pin!(l.acquire("a"));
            assert!(poll_once(gone.as_mut()).is_pending());
        } // dropped while waiting (the view went away)
        let mut next = pin!(l.acquire("a"));
        assert!(poll_once(next.as_mut()).is_pending());
        drop(first);
        let Poll::Ready(slot) = poll_once(next.as_mut()) else {
            panic!("the next waiter gets the freed slot");
        };
        assert!(l.acquire("a").now_or_never().is_none(), "one slot, in use");
        // And the slot comes back when that request finishes.
        drop(slot);
        assert!(l.acquire("a").now_or_never().is_some());
    }
}
