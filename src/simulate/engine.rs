//! One replication of the week, call by call: arrivals, routing, service,
//! abandonment, breaks and log-outs, the outsourcer's seats and the trunk
//! lines, as one discrete-event loop over a time-ordered heap.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, VecDeque};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Poisson};

use super::{HandleTimes, Outsourcing, Setup, Shrinkage};

/// What one replication counted, per queue and arrival interval
/// (`q * intervals + i`), and per skill group and interval for idle time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Contacts that reached the centre or its outsourcer (not blocked).
    pub offered: Vec<f64>,
    /// Voice: answered within the SLA's time; deferred: done by the deadline.
    pub within: Vec<f64>,
    pub answered: Vec<f64>,
    /// Seconds waited by the answered calls.
    pub wait_s: Vec<f64>,
    pub abandoned: Vec<f64>,
    /// Calls refused because every trunk line was held.
    pub blocked: Vec<f64>,
    pub outsourced: Vec<f64>,
    /// Deferred contacts done after their deadline or not done by it.
    pub late: Vec<f64>,
    /// Deferred contacts whose deadline falls after the week, not done yet.
    pub carried: Vec<f64>,
    /// In-house handling seconds on the queue, per interval worked.
    pub busy_s: Vec<f64>,
    /// Idle seconds of present agents, per group and interval
    /// (`g * intervals + i`).
    pub idle_s: Vec<f64>,
}

impl Tally {
    fn new(cells: usize, group_cells: usize) -> Self {
        let z = || vec![0.0; cells];
        Tally {
            offered: z(),
            within: z(),
            answered: z(),
            wait_s: z(),
            abandoned: z(),
            blocked: z(),
            outsourced: z(),
            late: z(),
            carried: z(),
            busy_s: z(),
            idle_s: vec![0.0; group_cells],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Login(usize),
    Logout(usize),
    /// Session, length in milliseconds.
    BreakStart(usize, u64),
    BreakEnd(usize),
    Done(usize),
    OutDone(usize),
    Abandon(usize),
    /// A call has waited the secondary delay: agents for whom its queue is
    /// not the first may take it.
    Secondary(usize),
    /// A planned field-visit block of the session begins: an idle engineer
    /// takes a waiting visit.
    Block(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Off,
    Idle,
    Busy,
    Break,
}

struct Agent {
    state: State,
    since: f64,
    /// Break seconds owed, taken when the current call ends.
    owed_s: f64,
    leaving: bool,
    call: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallState {
    Waiting,
    Done,
    Gone,
}

struct Call {
    q: usize,
    i: usize,
    t: f64,
    /// Handle time in units of the server's AHT.
    work: f64,
    state: CallState,
    outsourced: bool,
}

/// The event loop's state for one replication.
struct Run<'a> {
    s: &'a Setup,
    rng: ChaCha8Rng,
    heap: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    seq: u64,
    agents: Vec<Agent>,
    /// Per group: idle agents keyed by (idle since, session).
    idle: Vec<BTreeSet<(u64, usize)>>,
    calls: Vec<Call>,
    /// Per queue: calls (voice) or contacts (deferred) waiting, oldest first.
    waiting: Vec<VecDeque<usize>>,
    waiting_n: Vec<usize>,
    /// In-house voice calls waiting or talking: the lines they hold.
    held: usize,
    /// Per queue: agents out on its field visits now.
    on_visit: Vec<u32>,
    out_busy: Vec<u32>,
    out_waiting: Vec<VecDeque<usize>>,
    tally: Tally,
}

/// Time as a heap key: non-negative floats order as their bits.
fn key(t: f64) -> u64 {
    t.max(0.0).to_bits()
}

impl<'a> Run<'a> {
    fn push(&mut self, t: f64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Reverse((key(t), self.seq, ev)));
    }

    fn cell(&self, q: usize, i: usize) -> usize {
        q * self.s.intervals + i
    }

    /// Adds `[from, to)` to `per` (indexed `base + interval`), split at the
    /// interval edges.
    fn spread(per: &mut [f64], base: usize, n: usize, step: f64, from: f64, to: f64) {
        let mut t = from;
        while t < to {
            let i = ((t / step) as usize).min(n - 1);
            let edge = if i + 1 == n {
                to
            } else {
                ((i + 1) as f64 * step).min(to)
            };
            per[base + i] += edge - t;
            if edge <= t {
                break;
            }
            t = edge;
        }
    }

    fn unit_work(&mut self) -> f64 {
        match self.s.opts.handle {
            HandleTimes::Exponential => Exp1.sample(&mut self.rng),
            HandleTimes::LogNormal { cv } => {
                let sigma2 = (1.0 + cv * cv).ln();
                LogNormal::new(-sigma2 / 2.0, sigma2.sqrt())
                    .expect("a finite, non-negative cv")
                    .sample(&mut self.rng)
            }
        }
    }

    fn leave_idle(&mut self, a: usize, t: f64) {
        let g = self.s.sessions[a].group;
        let since = self.agents[a].since;
        self.idle[g].remove(&(key(since), a));
        let n = self.s.intervals;
        Self::spread(
            &mut self.tally.idle_s,
            g * n,
            n,
            self.s.step_s,
            since,
            t.max(since),
        );
    }

    /// Agent `a` starts on `call` at `t`.
    fn serve(&mut self, a: usize, call: usize, t: f64) {
        let (q, i, arrived, work) = {
            let c = &self.calls[call];
            (c.q, c.i, c.t, c.work)
        };
        let spec = &self.s.queues[q];
        let k = self.cell(q, i);
        let wait = t - arrived;
        // A field visit: travel there and back, and the work on site.
        let service = if spec.travel_s > 0.0 {
            2.0 * spec.travel_s + work * (spec.aht_s[i] - 2.0 * spec.travel_s)
        } else {
            work * spec.aht_s[i]
        };
        self.calls[call].state = CallState::Done;
        self.tally.answered[k] += 1.0;
        self.tally.wait_s[k] += wait;
        if spec.voice {
            self.held += 1;
            if wait <= spec.within_s + 1e-9 {
                self.tally.within[k] += 1.0;
            }
        } else {
            let deadline =
                spec.deadline_s[i].map(|d| spec.within_exact_s.map_or(d, |w| arrived + w));
            let end = if spec.response { t } else { t + service };
            match deadline {
                Some(d) if end > d + 1e-9 => self.tally.late[k] += 1.0,
                _ => self.tally.within[k] += 1.0,
            }
        }
        let n = self.s.intervals;
        Self::spread(
            &mut self.tally.busy_s,
            q * n,
            n,
            self.s.step_s,
            t,
            t + service,
        );
        if spec.travel_s > 0.0 {
            self.on_visit[q] += 1;
        }
        let ag = &mut self.agents[a];
        ag.state = State::Busy;
        ag.call = call;
        self.push(t + service, Ev::Done(a));
    }

    /// Agent `a` is free at `t`: the first waiting work of its group's
    /// queues in priority order (a pool's tiers in theirs), or idle.
    fn free(&mut self, a: usize, t: f64) {
        let g = self.s.sessions[a].group;
        let delay = self.s.delay_s[g];
        for (idx, &q) in self.s.groups[g].iter().enumerate() {
            let rank = self.s.group_ranks[g][idx];
            // An infinite delay: the group's first queue (or pool) only.
            if rank > 0 && !delay.is_finite() {
                continue;
            }
            while let Some(&call) = self.waiting[q].front() {
                if self.calls[call].state != CallState::Waiting {
                    self.waiting[q].pop_front();
                    continue;
                }
                // A visit that would outlast the shift waits for another.
                if !self.fits(a, call, t) {
                    break;
                }
                // A queue that is not the agent's first: only calls that
                // have waited the secondary delay.
                if rank > 0 && self.s.queues[q].voice && t - self.calls[call].t < delay {
                    break;
                }
                self.waiting[q].pop_front();
                self.waiting_n[q] -= 1;
                if self.s.queues[q].voice {
                    self.held -= 1;
                }
                self.serve(a, call, t);
                return;
            }
        }
        let ag = &mut self.agents[a];
        ag.state = State::Idle;
        ag.since = t;
        self.idle[g].insert((key(t), a));
    }

    /// The agent to take a call of queue `q` that has waited `waited_s`:
    /// among the idle agents who can, those for whom `q` ranks highest,
    /// then the longest idle; agents who have `q` lower in their list only
    /// once the call has waited their group's secondary delay.
    fn idle_for(&self, call: usize, waited_s: f64, now: f64) -> Option<usize> {
        let spec = &self.s.queues[self.calls[call].q];
        spec.groups
            .iter()
            .zip(&spec.ranks)
            .filter(|(&g, &r)| {
                let delay = self.s.delay_s[g];
                r == 0 || (delay.is_finite() && waited_s >= delay)
            })
            .filter_map(|(&g, &r)| {
                // A field visit goes first to an engineer in a block of
                // theirs for it.
                self.idle[g]
                    .iter()
                    .find(|&&(_, a)| self.in_block(a, call, now) && self.fits(a, call, now))
                    .map(|&(t, a)| (false, r, t, a))
                    .or_else(|| {
                        self.idle[g]
                            .iter()
                            .find(|&&(_, a)| self.fits(a, call, now))
                            .map(|&(t, a)| (true, r, t, a))
                    })
            })
            .min()
            .map(|(_, _, _, a)| a)
    }

    /// Whether agent `a` is at `now` in one of their planned blocks for
    /// `call`'s queue (`Session::visits`).
    fn in_block(&self, a: usize, call: usize, now: f64) -> bool {
        let q = self.calls[call].q;
        self.s.sessions[a]
            .visits
            .iter()
            .any(|&(v, leave, back)| v == q && leave <= now + 1e-9 && now < back)
    }

    /// Whether agent `a` may take `call` at `now`: any contact but a field
    /// visit; a visit when its mean length (travel both ways and the work)
    /// ends before the agent's shift does — engineers are not sent out at
    /// the end of the day — and, where the plan has its visits
    /// (`QueueSpec::on_visits`), either the agent is in one of their
    /// planned blocks for the queue (`Session::visits`, `visits.csv`) or
    /// fewer agents are out on the queue's visits than the plan has on
    /// them at some interval the visit would span (rounded up): the plan's
    /// visits go out as blocks, early enough for the hours it planned
    /// them, and nobody else leaves the phones.
    fn fits(&self, a: usize, call: usize, now: f64) -> bool {
        let c = &self.calls[call];
        let spec = &self.s.queues[c.q];
        if spec.travel_s <= 0.0 {
            return true;
        }
        let sess = &self.s.sessions[a];
        let length = spec.aht_s[c.i];
        if now + length > sess.end_s + 1e-9 {
            return false;
        }
        if spec.on_visits.is_empty() || self.in_block(a, call, now) {
            return true;
        }
        let step = self.s.step_s;
        let last = self.s.intervals - 1;
        let from = ((now / step) as usize).min(last);
        let to = (((now + length) / step) as usize).min(last);
        let planned = spec.on_visits[from..=to]
            .iter()
            .fold(0.0_f64, |m, &x| m.max(x));
        f64::from(self.on_visit[c.q]) < (planned - 1e-6).ceil()
    }

    fn send_out(&mut self, o: usize, call: usize, t: f64) {
        let (q, i) = (self.calls[call].q, self.calls[call].i);
        let k = self.cell(q, i);
        self.tally.outsourced[k] += 1.0;
        self.calls[call].outsourced = true;
        if !self.s.queues[q].voice {
            // Deferred work handed over counts as done on time, as the
            // plan counts it.
            self.calls[call].state = CallState::Done;
            self.tally.answered[k] += 1.0;
            self.tally.within[k] += 1.0;
            self.follow_up(call, t);
            return;
        }
        if self.out_busy[o] < self.s.outsourcers[o].seats {
            self.out_serve(o, call, t);
        } else {
            self.out_waiting[o].push_back(call);
            if let Some(p) = self.s.queues[q].patience_s {
                let e: f64 = Exp1.sample(&mut self.rng);
                self.push(t + p * e, Ev::Abandon(call));
            }
        }
    }

    fn out_serve(&mut self, o: usize, call: usize, t: f64) {
        let (q, i, arrived, work) = {
            let c = &self.calls[call];
            (c.q, c.i, c.t, c.work)
        };
        let k = self.cell(q, i);
        let wait = t - arrived;
        self.calls[call].state = CallState::Done;
        self.tally.answered[k] += 1.0;
        self.tally.wait_s[k] += wait;
        if wait <= self.s.queues[q].within_s + 1e-9 {
            self.tally.within[k] += 1.0;
        }
        self.out_busy[o] += 1;
        let aht = self.s.outsourcers[o].aht_s;
        self.push(t + work * aht, Ev::OutDone(o));
    }

    /// A contact of queue `q` that arrived at `t` in interval `i`, its
    /// handle time drawn; its index.
    fn new_call(&mut self, q: usize, i: usize, t: f64) -> usize {
        let work = self.unit_work();
        self.calls.push(Call {
            q,
            i,
            t,
            work,
            state: CallState::Waiting,
            outsourced: false,
        });
        self.calls.len() - 1
    }

    /// `call` is done at `t`: for each queue following its queue, with the
    /// follower's share, a contact of it arrives now, due by its own
    /// deadline from `call`'s first arrival (interval and instant kept).
    fn follow_up(&mut self, call: usize, t: f64) {
        let (q, i, first) = (self.calls[call].q, self.calls[call].i, self.calls[call].t);
        for k in 0..self.s.queues[q].followers.len() {
            let (f, share) = self.s.queues[q].followers[k];
            let u: f64 = self.rng.random();
            if u >= share {
                continue;
            }
            let id = self.new_call(f, i, first);
            self.arrive(id, t);
        }
    }

    fn arrive(&mut self, call: usize, t: f64) {
        let (q, i) = (self.calls[call].q, self.calls[call].i);
        let k = self.cell(q, i);
        let spec = &self.s.queues[q];
        // The plan's share to its outsourcers, drawn call by call.
        if self.s.opts.outsourcing == Outsourcing::Share && !spec.share[i].is_empty() {
            let u: f64 = self.rng.random();
            let mut acc = 0.0;
            for &(o, p) in &self.s.queues[q].share[i] {
                acc += p;
                if u < acc {
                    self.tally.offered[k] += 1.0;
                    self.send_out(o, call, t);
                    return;
                }
            }
        }
        let spec = &self.s.queues[q];
        if spec.voice {
            if let Some(lines) = self.s.lines {
                if self.held >= lines as usize {
                    self.tally.blocked[k] += 1.0;
                    self.calls[call].state = CallState::Gone;
                    return;
                }
            }
        }
        self.tally.offered[k] += 1.0;
        // Deferred work goes to any idle agent who can take it.
        let waited = if spec.voice { 0.0 } else { f64::INFINITY };
        if let Some(a) = self.idle_for(call, waited, t) {
            self.leave_idle(a, t);
            self.serve(a, call, t);
            return;
        }
        if let Outsourcing::Overflow { waiting } = self.s.opts.outsourcing {
            if spec.voice && self.waiting_n[q] >= waiting as usize {
                if let Some(&o) = spec.overflow_to[i].first() {
                    self.send_out(o, call, t);
                    return;
                }
            }
        }
        let voice = spec.voice;
        let patience = spec.patience_s;
        self.waiting[q].push_back(call);
        self.waiting_n[q] += 1;
        if voice {
            self.held += 1;
            if let Some(p) = patience {
                let e: f64 = Exp1.sample(&mut self.rng);
                self.push(t + p * e, Ev::Abandon(call));
            }
            // A wake-up at each secondary delay of the groups that have
            // the queue lower in their list.
            let mut delays: Vec<f64> = spec
                .groups
                .iter()
                .zip(&spec.ranks)
                .filter(|(_, &r)| r > 0)
                .map(|(&g, _)| self.s.delay_s[g])
                // Infinite: the group never takes it.
                .filter(|&d| d > 0.0 && d.is_finite())
                .collect();
            delays.sort_by(f64::total_cmp);
            delays.dedup();
            for d in delays {
                self.push(t + d, Ev::Secondary(call));
            }
        }
    }

    fn event(&mut self, t: f64, ev: Ev) {
        match ev {
            Ev::Login(a) => {
                if self.agents[a].state == State::Off && !self.agents[a].leaving {
                    self.free(a, t);
                }
            }
            Ev::Logout(a) => match self.agents[a].state {
                State::Idle => {
                    self.leave_idle(a, t);
                    self.agents[a].state = State::Off;
                    self.agents[a].leaving = true;
                }
                State::Busy | State::Break => self.agents[a].leaving = true,
                State::Off => self.agents[a].leaving = true,
            },
            Ev::BreakStart(a, ms) => {
                let len = ms as f64 / 1000.0;
                match self.agents[a].state {
                    State::Idle => {
                        self.leave_idle(a, t);
                        self.agents[a].state = State::Break;
                        self.push(t + len, Ev::BreakEnd(a));
                    }
                    State::Busy | State::Break => self.agents[a].owed_s += len,
                    State::Off => {}
                }
            }
            Ev::BreakEnd(a) => self.resume(a, t),
            Ev::Block(a) => {
                if self.agents[a].state == State::Idle {
                    self.leave_idle(a, t);
                    self.free(a, t);
                }
            }
            Ev::Done(a) => {
                let call = self.agents[a].call;
                let q = self.calls[call].q;
                if self.s.queues[q].voice {
                    self.held -= 1;
                }
                if self.s.queues[q].travel_s > 0.0 {
                    self.on_visit[q] -= 1;
                }
                self.follow_up(call, t);
                self.resume(a, t);
            }
            Ev::OutDone(o) => {
                self.out_busy[o] -= 1;
                while let Some(call) = self.out_waiting[o].pop_front() {
                    if self.calls[call].state == CallState::Waiting {
                        self.out_serve(o, call, t);
                        break;
                    }
                }
            }
            Ev::Secondary(call) => {
                // Calls that have waited the delay, oldest first, to idle
                // agents of any rank.
                let q = self.calls[call].q;
                while let Some(&head) = self.waiting[q].front() {
                    if self.calls[head].state != CallState::Waiting {
                        self.waiting[q].pop_front();
                        continue;
                    }
                    let Some(a) = self.idle_for(head, t - self.calls[head].t + 1e-9, t) else {
                        break;
                    };
                    self.leave_idle(a, t);
                    self.waiting[q].pop_front();
                    self.waiting_n[q] -= 1;
                    self.held -= 1;
                    self.serve(a, head, t);
                }
            }
            Ev::Abandon(call) => {
                if self.calls[call].state == CallState::Waiting {
                    let c = &mut self.calls[call];
                    c.state = CallState::Gone;
                    let (q, i, out) = (c.q, c.i, c.outsourced);
                    let k = self.cell(q, i);
                    self.tally.abandoned[k] += 1.0;
                    if !out {
                        self.waiting_n[q] -= 1;
                        self.held -= 1;
                    }
                }
            }
        }
    }

    /// After a call or a break: the break owed, the log-out, or work.
    fn resume(&mut self, a: usize, t: f64) {
        let ag = &mut self.agents[a];
        if ag.leaving {
            ag.state = State::Off;
        } else if ag.owed_s > 0.0 {
            let len = ag.owed_s;
            ag.owed_s = 0.0;
            ag.state = State::Break;
            self.push(t + len, Ev::BreakEnd(a));
        } else {
            self.free(a, t);
        }
    }
}

/// Runs replication `rep` of the week seeded from `seed`.
pub fn replicate(s: &Setup, seed: u64, rep: u64) -> Tally {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(rep);
    let n = s.intervals;
    let nq = s.queues.len();
    let mut run = Run {
        s,
        rng,
        heap: BinaryHeap::new(),
        seq: 0,
        agents: (0..s.sessions.len())
            .map(|_| Agent {
                state: State::Off,
                since: 0.0,
                owed_s: 0.0,
                leaving: false,
                call: 0,
            })
            .collect(),
        idle: vec![BTreeSet::new(); s.groups.len()],
        calls: Vec::new(),
        waiting: vec![VecDeque::new(); nq],
        waiting_n: vec![0; nq],
        held: 0,
        on_visit: vec![0; nq],
        out_busy: vec![0; s.outsourcers.len()],
        out_waiting: vec![VecDeque::new(); s.outsourcers.len()],
        tally: Tally::new(nq * n, s.groups.len() * n),
    };
    // The agents' day: log in, breaks (rostered, and off-phone time for
    // shrinkage), log out.
    for (a, sess) in s.sessions.iter().enumerate() {
        let shrink = s.shrink[sess.group];
        if s.opts.shrinkage == Shrinkage::Absence && run.rng.random::<f64>() < shrink {
            continue;
        }
        run.push(sess.start_s, Ev::Login(a));
        run.push(sess.end_s, Ev::Logout(a));
        for &(_, leave, _) in &sess.visits {
            run.push(leave, Ev::Block(a));
        }
        let mut from = sess.start_s;
        let mut segments = Vec::new();
        for &(b0, b1) in &sess.breaks {
            run.push(b0, Ev::BreakStart(a, ((b1 - b0) * 1000.0).round() as u64));
            segments.push((from, b0));
            from = b1;
        }
        segments.push((from, sess.end_s));
        if let Shrinkage::OffPhone { mean_s } = s.opts.shrinkage {
            if shrink > 0.0 && shrink < 1.0 {
                let on_mean = mean_s * (1.0 - shrink) / shrink;
                for (lo, hi) in segments {
                    // An alternating renewal process, started in its
                    // stationary state: off-phone a `shrink` share of time.
                    let mut t = lo;
                    let mut off = run.rng.random::<f64>() < shrink;
                    while t < hi {
                        let e: f64 = Exp1.sample(&mut run.rng);
                        let len = e * if off { mean_s } else { on_mean };
                        let end = (t + len).min(hi);
                        if off && end > t {
                            run.push(t, Ev::BreakStart(a, ((end - t) * 1000.0).round() as u64));
                        }
                        t = end;
                        off = !off;
                    }
                }
            }
        }
    }
    // Arrivals: a Poisson count per queue and interval, spread uniformly
    // over the interval (a Poisson process of piecewise-constant rate).
    let mut arrivals: Vec<(f64, usize, usize)> = Vec::new();
    for (q, spec) in s.queues.iter().enumerate().filter(|(_, x)| !x.derived) {
        // The day error: one gamma factor of mean 1 per day, drawn at the
        // day's first interval (none drawn without it, so that the week
        // without day error is the same draws as ever).
        let gamma = (spec.day_cv > 0.0).then(|| {
            let shape = 1.0 / (spec.day_cv * spec.day_cv);
            Gamma::new(shape, 1.0 / shape).expect("a positive, finite shape")
        });
        // Each interval's own error, drawn after the day's (none drawn
        // without it).
        let slot_gamma = (spec.slot_cv > 0.0).then(|| {
            let shape = 1.0 / (spec.slot_cv * spec.slot_cv);
            Gamma::new(shape, 1.0 / shape).expect("a positive, finite shape")
        });
        let mut factor = (usize::MAX, 1.0);
        for i in 0..n {
            if let Some(g) = &gamma {
                if factor.0 != spec.day[i] {
                    factor = (spec.day[i], g.sample(&mut run.rng));
                }
            }
            let own = slot_gamma.as_ref().map_or(1.0, |g| g.sample(&mut run.rng));
            let mean = spec.contacts[i] * factor.1 * own;
            if mean <= 0.0 {
                continue;
            }
            let count = Poisson::new(mean)
                .expect("a positive mean")
                .sample(&mut run.rng) as usize;
            let t0 = i as f64 * s.step_s;
            for _ in 0..count {
                let u: f64 = run.rng.random();
                arrivals.push((t0 + u * s.step_s, q, i));
            }
        }
    }
    arrivals.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    run.calls.reserve(arrivals.len());
    let mut next = 0;
    loop {
        let at_event = run.heap.peek().map(|Reverse((t, _, _))| f64::from_bits(*t));
        let at_call = arrivals.get(next).map(|a| a.0);
        match (at_event, at_call) {
            (None, None) => break,
            (Some(te), tc) if tc.is_none_or(|tc| te <= tc) => {
                let Reverse((_, _, ev)) = run.heap.pop().expect("peeked");
                run.event(te, ev);
            }
            (_, Some(tc)) => {
                let (_, q, i) = arrivals[next];
                next += 1;
                let id = run.new_call(q, i, tc);
                run.arrive(id, tc);
            }
            (Some(_), None) => unreachable!("matched above"),
        }
    }
    // What is still waiting at the week's end: deferred work late or
    // carried over (and the share of it a following queue would have had,
    // offered and as late or carried as its own deadline says); calls
    // without patience never answered.
    let waiting: Vec<(usize, usize)> = run
        .calls
        .iter()
        .filter(|c| c.state == CallState::Waiting && !s.queues[c.q].voice)
        .map(|c| (c.q, c.i))
        .collect();
    let mut open = waiting.clone();
    let mut at = 0;
    while at < open.len() {
        let (q, i) = open[at];
        at += 1;
        let k = q * n + i;
        if s.queues[q].deadline_s[i].is_some() {
            run.tally.late[k] += 1.0;
        } else {
            run.tally.carried[k] += 1.0;
        }
        for &(f, share) in &s.queues[q].followers {
            let u: f64 = run.rng.random();
            if u < share {
                run.tally.offered[f * n + i] += 1.0;
                open.push((f, i));
            }
        }
    }
    run.tally
}
