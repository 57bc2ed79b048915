// Constructive list-scheduling heuristics for a DAG on heterogeneous devices.
//
// Every solver here returns a complete SolveResult: a device for every node,
// the order on every device (by start time), the solver's own schedule
// (which Evaluate() reproduces exactly: every node starts when its device is
// free and all its inputs have arrived), the makespan and the solve time.
// Status is kFeasible, or kOptimal only when the makespan equals
// SolveOptions::known_lower_bound_s > 0 (within 1e-9 relative).
//
// Conventions shared by all of them: w-bar(i) = Problem::mean_p(i) (mean over
// devices), c-bar(e) = Problem::mean_comm(e) (mean over ordered device pairs
// d != f); ties between nodes of equal priority go to the lower node index,
// ties between devices to the lower device index.
#pragma once

#include <memory>

#include "diviml/solve/solver.h"

namespace diviml {

// "single": every node on the one device with the least total time, in
// topological order (no transfers, no idle time). O(V * m + E).
std::unique_ptr<Solver> MakeSingleSolver();

// "heft": Heterogeneous Earliest Finish Time, insertion-based (Topcuoglu,
// Hariri, Wu, IEEE TPDS 13(3), 2002). Priority: upward rank
// rank_u(i) = w-bar(i) + max_{(i,j)} (c-bar(i,j) + rank_u(j)); each node in
// turn goes to the device giving the earliest finish time, using the
// earliest idle slot that fits. O(E * m + V * m * log V) typical; the slot
// search is O(k) per device in the worst case (k nodes on the device).
std::unique_ptr<Solver> MakeHeftSolver();

// "peft": Predict Earliest Finish Time (Arabnejad, Barbosa, IEEE TPDS 25(3),
// 2014). Optimistic cost table OCT(i,d) = max over successors j of min over
// devices f of OCT(j,f) + p(j,f) + (f != d ? c-bar(i,j) : 0); priority
// rank_oct(i) = mean_d OCT(i,d); device = argmin EFT(i,d) + OCT(i,d),
// insertion-based. O(E * m) for the table plus the HEFT-like schedule.
std::unique_ptr<Solver> MakePeftSolver();

// "cpop": Critical Path On a Processor (Topcuoglu, Hariri, Wu 2002).
// Priority rank_u + rank_d; the nodes of one critical path all go to the
// device minimising the path's total time, the others to the device of
// earliest finish time; insertion-based. Complexity as HEFT.
std::unique_ptr<Solver> MakeCpopSolver();

// "etf": Earliest Time First (Hwang, Chow, Anger, Lee, SIAM J. Comput.
// 18(2), 1989), heterogeneous variant: at every step the ready (node,
// device) pair with the earliest start time is scheduled (ties: earlier
// finish time, then higher static level = longest path of mean times to an
// exit node, transfers excluded, then lower node index, then lower device
// index); non-insertion, as the original. On identical devices this is
// exactly Hwang's ETF. O(E * m + V * R) with R the largest ready set, plus
// O(m) per ready node whose best device was just taken.
std::unique_ptr<Solver> MakeEtfSolver();

// "rls": randomized list scheduling. Try 0 is HEFT itself; every further try
// schedules with priority rank_u(i) * (1 + a * u_i), u_i uniform in [-1, 1),
// a cycling through {0.02, 0.05, 0.1, 0.2, 0.4}, random tie breaks, EFT
// device choice with insertion; the best plan is kept (never worse than
// HEFT). Stops after max_tries, at SolveOptions::time_limit_s, or as soon
// as a plan reaches SolveOptions::known_lower_bound_s (then kOptimal).
// Deterministic for a given SolveOptions::seed when it stops by tries or by
// the bound. O(tries * HEFT).
struct RandomListOptions {
  // Number of tries; 0 = automatic: clamp(3e7 / ((V + E) * m), 10, 2000),
  // i.e. 2000 tries on small graphs, about half a second of work on 10,000
  // nodes x 16 devices.
  int max_tries = 0;
};
std::unique_ptr<Solver> MakeRandomListSolver(const RandomListOptions& options = {});

}  // namespace diviml
