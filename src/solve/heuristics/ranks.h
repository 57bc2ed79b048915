// Static node priorities of the list-scheduling heuristics.
//
// - Upward rank (Topcuoglu, Hariri, Wu, IEEE TPDS 13(3), 2002, eq. 7):
//   rank_u(i) = w-bar(i) + max over edges (i,j) of (c-bar(i,j) + rank_u(j)),
//   w-bar = Problem::mean_p, c-bar = Problem::mean_comm. O(V + E).
// - Downward rank (same paper, eq. 8):
//   rank_d(j) = max over edges (i,j) of (rank_d(i) + w-bar(i) + c-bar(i,j)),
//   0 for entry nodes. O(V + E).
// - Optimistic cost table (Arabnejad, Barbosa, IEEE TPDS 25(3), 2014, eq. 5):
//   OCT(i,d) = max over edges (i,j) of min over devices f of
//              OCT(j,f) + p(j,f) + (f != d ? c-bar(i,j) : 0),
//   0 for exit nodes; rank_oct(i) = mean over d of OCT(i,d). The inner min
//   is done in O(1) per d (min(X_d, min_f X_f + c-bar)), so O((V + E) * m).
#pragma once

#include <vector>

#include "diviml/core/problem.h"

namespace diviml::heuristics {

std::vector<double> UpwardRank(const Problem& problem);
std::vector<double> DownwardRank(const Problem& problem);
// Row-major n x m: oct[i * m + d].
std::vector<double> OptimisticCostTable(const Problem& problem);
std::vector<double> RankOct(const Problem& problem, const std::vector<double>& oct);

}  // namespace diviml::heuristics
