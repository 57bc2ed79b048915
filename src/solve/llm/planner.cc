// The LLM planner (include/diviml/solve/llm.h, docs/llm.md): stage
// sub-problems per server type, the DP over layer prefix x servers used per
// type, the baselines, the lower bound and the plan's evaluation.
#include "diviml/solve/llm.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "diviml/cost/cost_model.h"
#include "diviml/platform/cluster.h"
#include "diviml/util/error.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Objective weights of the two phases: latency / busy time = pre x prefill
// + dec x decode step.
struct Coef {
  double pre = 0, dec = 0;
};

Coef PhaseCoef(const LlmModel& m) {
  switch (m.workload.phase) {
    case LlmPhase::kPrefill: return {1, 0};
    case LlmPhase::kDecode: return {0, 1};
    case LlmPhase::kBoth: return {1, static_cast<double>(m.workload.gen)};
  }
  return {1, 0};
}

// Tokens one micro-batch of mb sequences yields per period.
double TokensPerMicroBatch(const LlmModel& m, double mb) {
  switch (m.workload.phase) {
    case LlmPhase::kPrefill: return mb * m.workload.prompt;
    case LlmPhase::kDecode: return mb;
    case LlmPhase::kBoth: return mb * m.workload.gen;
  }
  return mb;
}

constexpr int kMaxTp = 8;

// Times of one phase at one batch, per platform device; [t] = TP degree t
// (work / t, no all-reduce).
struct Times {
  double hidden = 0;  // bytes between layers
  std::vector<std::array<double, kMaxTp + 1>> embed, layer, head;
  std::vector<double> attn, mlp;  // operator split: the two parts of a layer (tp = 1)
};

struct Ctx {
  const LlmModel& model;
  // The cluster with each catalogue device's peak for the model's compute
  // dtype (tensor cores for fp16 / bf16 / int8, docs/llm.md).
  const Platform pl;
  ClusterView view;
  RooflineOptions ro;
  Coef coef;
  bool throughput = false;
  std::vector<char> allowed, gpu;
  std::vector<int> cls;
  std::vector<int> tp_degrees;  // candidate degrees > 1 (valid for the heads)
  bool empty_blocks = true;     // a block may hold only the embedding / head
  bool op_split = false;        // granularity operator
  // llama.cpp runs the layers it does not offload first, on the main
  // host's CPU: in the first stage a CPU block may not follow a GPU one.
  bool cpu_first = false;
  double w_attn = 0, w_mlp = 0; // weights (+ KV cache) of the two parts
  double w_layer = 0, w_embed = 0, w_head = 0, ws_layer = 0, ws_embed = 0, ws_head = 0;
  std::unordered_map<long long, std::pair<Times, Times>> times;  // by batch: prefill, decode
  long long solved = 0, reused = 0;

  Ctx(const LlmModel& m, const Platform& p) : model(m), pl(WithComputeDtype(p, m.compute_dtype())) {}

  const std::pair<Times, Times>& At(long long batch) {
    auto it = times.find(batch);
    if (it != times.end()) return it->second;
    LlmModel b = model;
    b.workload.batch = batch;
    auto make = [&](LlmPhase ph) {
      Times t;
      t.hidden = HiddenBytes(b, ph);
      const LlmNodeWork e = EmbeddingWork(b, ph), l = LayerWork(b, ph), h = HeadWork(b, ph);
      auto fill = [&](const LlmNodeWork& w, double in_bytes, std::vector<std::array<double, kMaxTp + 1>>* out) {
        const double bytes = in_bytes + w.param_bytes + w.output_bytes;
        out->resize(pl.num_devices());
        for (int d = 0; d < pl.num_devices(); ++d)
          for (int tp = 1; tp <= kMaxTp; ++tp)
            (*out)[d][tp] = RooflineTime(w.flops / tp, bytes / tp, ClassifyOp(w.op), pl.devices[d], ro).value_or(kInf);
      };
      fill(e, 0, &t.embed);
      fill(l, t.hidden, &t.layer);
      fill(h, t.hidden, &t.head);
      if (op_split) {
        // One layer's operator chain: nodes 1..4 attention, 5..6 MLP.
        LlmModel one = b;
        one.config.layers = 1;
        const Graph g = BuildLlmOperatorGraph(one, ph);
        const std::vector<double> bytes = NodeBytesMoved(g);
        t.attn.assign(pl.num_devices(), 0);
        t.mlp.assign(pl.num_devices(), 0);
        for (int d = 0; d < pl.num_devices(); ++d)
          for (int v = 1; v <= 6; ++v)
            (v <= 4 ? t.attn : t.mlp)[d] +=
                RooflineTime(g.nodes[v].flops, bytes[v], ClassifyOp(g.nodes[v].op), pl.devices[d], ro).value_or(kInf);
      }
      return t;
    };
    return times.emplace(batch, std::make_pair(make(LlmPhase::kPrefill), make(LlmPhase::kDecode))).first->second;
  }

  double Cap(int d) const { return pl.devices[d].memory_bytes; }
  double Transfer(int d, int e, const std::pair<Times, Times>& t) const {
    return coef.pre * pl.TransferTime(d, e, t.first.hidden) + coef.dec * pl.TransferTime(d, e, t.second.hidden);
  }
  // Two ring all-reduces per layer over the group's link: 2(t-1) steps of
  // latency, 2(t-1)/t of the bytes each.
  double AllReduce(int d, int e, int tp, double bytes) const {
    if (tp <= 1) return 0;
    const Link& l = pl.link(d, e);
    return 2 * (tp - 1) * l.latency_s + 2.0 * (tp - 1) / tp * bytes / l.bandwidth_Bps;
  }
};

// A stage's mapping on the representative server of its type; devices are
// local indices into the server's device list.
struct StageSol {
  double cost = kInf;
  int tp = 1;
  bool split_ops = false;
  std::vector<LlmBlock> blocks;  // device = local index
};

double Floor(double x) { return std::floor(x + 1e-9); }

// tp = 1: the best ordered sequence of distinct devices, each a contiguous
// block of the stage's layers (exact at layer granularity: for a fixed
// sequence the counts are a box-constrained assignment of identical layers,
// solved exactly by taking the cheapest slots).
StageSol SolveSequences(Ctx& c, int type, int k, bool first, bool last, long long batch) {
  const auto& tt = c.At(batch);
  const std::vector<int>& devs = c.view.servers[c.view.type_servers[type][0]].devices;
  const int m = static_cast<int>(devs.size());
  std::vector<double> tl(m), te(m), th(m);
  for (int i = 0; i < m; ++i) {
    const int d = devs[i];
    tl[i] = c.coef.pre * tt.first.layer[d][1] + c.coef.dec * tt.second.layer[d][1];
    te[i] = c.coef.pre * tt.first.embed[d][1] + c.coef.dec * tt.second.embed[d][1];
    th[i] = c.coef.pre * tt.first.head[d][1] + c.coef.dec * tt.second.head[d][1];
  }
  StageSol best;
  std::vector<int> seq;
  std::vector<char> used(m, 0);
  std::vector<int> lo, hi, cnt;
  auto evaluate = [&]() {
    const int r = static_cast<int>(seq.size());
    lo.assign(r, 0), hi.assign(r, 0), cnt.assign(r, 0);
    long long sum_lo = 0, sum_hi = 0;
    for (int j = 0; j < r; ++j) {
      const int d = devs[seq[j]];
      const bool e = first && j == 0, h = last && j == r - 1;
      const double fixed = (e ? c.w_embed : 0) + (h ? c.w_head : 0);
      const double wsn = std::max(e ? c.ws_embed : 0.0, h ? c.ws_head : 0.0);
      const double cap = c.Cap(d);
      if ((e && !std::isfinite(te[seq[j]])) || (h && !std::isfinite(th[seq[j]]))) return;
      const bool zero_ok = c.empty_blocks && (e || h) && fixed + wsn <= cap;
      double room = std::isfinite(cap) ? Floor((cap - fixed - std::max(wsn, c.ws_layer)) / c.w_layer) : k;
      if (!std::isfinite(tl[seq[j]])) room = 0;
      hi[j] = static_cast<int>(std::clamp<double>(room, -1, k));
      lo[j] = zero_ok ? 0 : 1;
      if (hi[j] < lo[j]) {
        if (lo[j] == 0) hi[j] = 0;
        else return;
      }
      sum_lo += lo[j], sum_hi += hi[j];
    }
    if (sum_lo > k || sum_hi < k) return;
    cnt = lo;
    long long rem = k - sum_lo;
    double cost = 0;
    if (!c.throughput) {
      std::vector<int> order(r);
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](int a, int b) { return tl[seq[a]] < tl[seq[b]]; });
      for (int j : order) {
        const long long add = std::min<long long>(rem, hi[j] - cnt[j]);
        cnt[j] += static_cast<int>(add), rem -= add;
      }
      for (int j = 0; j < r; ++j) cost += cnt[j] > 0 ? cnt[j] * tl[seq[j]] : 0;
      if (first) cost += te[seq[0]];
      if (last) cost += th[seq[r - 1]];
      for (int j = 0; j + 1 < r; ++j) cost += c.Transfer(devs[seq[j]], devs[seq[j + 1]], tt);
    } else {
      std::vector<double> load(r);
      for (int j = 0; j < r; ++j)
        load[j] = (cnt[j] > 0 ? cnt[j] * tl[seq[j]] : 0) + (first && j == 0 ? te[seq[0]] : 0) +
                  (last && j == r - 1 ? th[seq[r - 1]] : 0);
      for (; rem > 0; --rem) {  // the cheapest next slot (exact for identical layers)
        int pick = -1;
        for (int j = 0; j < r; ++j)
          if (cnt[j] < hi[j] && (pick < 0 || load[j] + tl[seq[j]] < load[pick] + tl[seq[pick]])) pick = j;
        ++cnt[pick], load[pick] += tl[seq[pick]];
      }
      for (int j = 0; j < r; ++j) cost = std::max(cost, load[j]);
      for (int j = 0; j + 1 < r; ++j) cost = std::max(cost, c.Transfer(devs[seq[j]], devs[seq[j + 1]], tt));
    }
    if (cost < best.cost) {
      best.cost = cost;
      best.tp = 1;
      best.split_ops = false;
      best.blocks.clear();
      for (int j = 0; j < r; ++j)
        best.blocks.push_back({seq[j], cnt[j], first && j == 0, last && j == r - 1, 0});
    }
  };
  std::function<void()> dfs = [&]() {
    if (!seq.empty()) evaluate();
    if (static_cast<int>(seq.size()) == m) return;
    for (int i = 0; i < m; ++i) {
      if (used[i] || !c.allowed[devs[i]]) continue;
      if (c.cpu_first && first && !c.gpu[devs[i]] &&
          std::any_of(seq.begin(), seq.end(), [&](int j) { return c.gpu[devs[j]] != 0; }))
        continue;
      // Identical devices are interchangeable: use them in index order.
      bool skip = false;
      for (int j = 0; j < i && !skip; ++j)
        skip = !used[j] && c.allowed[devs[j]] && c.cls[devs[j]] == c.cls[devs[i]];
      if (skip) continue;
      used[i] = 1, seq.push_back(i);
      dfs();
      used[i] = 0, seq.pop_back();
    }
  };
  dfs();
  if (c.op_split) {
    // Attention of every layer on device x, its MLP on y (x != y, not
    // interchangeable): the hidden state crosses x -> y and y -> x per layer.
    for (int x = 0; x < m; ++x)
      for (int y = 0; y < m; ++y) {
        const int dx = devs[x], dy = devs[y];
        if (x == y || !c.allowed[dx] || !c.allowed[dy] || c.cls[dx] == c.cls[dy]) continue;
        const double mx = k * c.w_attn + (first ? c.w_embed : 0) + std::max(c.ws_layer, first ? c.ws_embed : 0.0);
        const double my = k * c.w_mlp + (last ? c.w_head : 0) + std::max(c.ws_layer, last ? c.ws_head : 0.0);
        if (mx > c.Cap(dx) || my > c.Cap(dy)) continue;
        auto part = [&](const std::vector<double>& a, const std::vector<double>& b, int d) {
          return c.coef.pre * a[d] + c.coef.dec * b[d];
        };
        const double ta = part(tt.first.attn, tt.second.attn, dx), tm = part(tt.first.mlp, tt.second.mlp, dy);
        const double xy = c.Transfer(dx, dy, tt), yx = c.Transfer(dy, dx, tt);
        const double e = first ? te[x] : 0, h = last ? th[y] : 0;
        const double cost = c.throughput ? std::max({k * ta + e, k * tm + h, k * xy, (k - 1) * yx})
                                         : k * (ta + tm + xy) + (k - 1) * yx + e + h;
        if (cost < best.cost) {
          best.cost = cost;
          best.tp = 1;
          best.split_ops = true;
          best.blocks = {{x, k, first, false, 0}, {y, k, false, last, 0}};
        }
      }
  }
  return best;
}

// tp > 1: the stage on a group of tp identical GPUs of the server.
StageSol SolveTensorParallel(Ctx& c, int type, int k, bool first, bool last, int tp, long long batch) {
  const auto& tt = c.At(batch);
  const std::vector<int>& devs = c.view.servers[c.view.type_servers[type][0]].devices;
  StageSol best;
  std::vector<char> seen(devs.size(), 0);
  for (size_t i = 0; i < devs.size(); ++i) {
    if (seen[i] || !c.allowed[devs[i]] || !c.gpu[devs[i]]) continue;
    std::vector<int> group;
    for (size_t j = i; j < devs.size(); ++j)
      if (!seen[j] && c.allowed[devs[j]] && c.cls[devs[j]] == c.cls[devs[i]]) seen[j] = 1, group.push_back(static_cast<int>(j));
    if (static_cast<int>(group.size()) < tp) continue;
    group.resize(tp);
    const int d0 = devs[group[0]], d1 = devs[group[1]];
    const double need = (k * c.w_layer + (first ? c.w_embed : 0) + (last ? c.w_head : 0)) / tp +
                        std::max({c.ws_layer, first ? c.ws_embed : 0.0, last ? c.ws_head : 0.0});
    if (need > c.Cap(d0)) continue;
    auto phase = [&](const Times& t) {
      double s = k * (t.layer[d0][tp] + c.AllReduce(d0, d1, tp, 2 * t.hidden));
      if (first) s += t.embed[d0][tp] + c.AllReduce(d0, d1, tp, t.hidden) / 2;
      if (last) s += t.head[d0][tp] + c.AllReduce(d0, d1, tp, t.hidden) / 2;
      return s;
    };
    const double cost = c.coef.pre * phase(tt.first) + c.coef.dec * phase(tt.second);
    if (cost < best.cost) {
      best.cost = cost;
      best.tp = tp;
      best.blocks.clear();
      for (int j : group) best.blocks.push_back({j, k, first, last, need});
    }
  }
  return best;
}

struct StageCache {
  std::unordered_map<unsigned long long, StageSol> memo;
  const StageSol& Get(Ctx& c, int type, int k, bool first, bool last, int tp, long long batch, int batch_index) {
    const unsigned long long key = ((((static_cast<unsigned long long>(batch_index) * 64 + type) * 4096 + k) * 2 +
                                     first) * 2 + last) * 16 + static_cast<unsigned>(tp);
    auto it = memo.find(key);
    if (it != memo.end()) {
      ++c.reused;
      return it->second;
    }
    ++c.solved;
    StageSol s;
    if (tp == 0 || tp == 1) s = SolveSequences(c, type, k, first, last, batch);
    if (tp == 0 || tp > 1)
      for (int t : c.tp_degrees)
        if (tp == 0 || tp == t) {
          StageSol x = SolveTensorParallel(c, type, k, first, last, t, batch);
          if (x.cost < s.cost) s = std::move(x);
        }
    return memo.emplace(key, std::move(s)).first->second;
  }
};

struct Choice {
  int type = -1, k = 0;
};

// The DP over (layers placed, servers used per type, type of the last
// stage). Returns, per total server count s <= max_servers, the best value
// and the stage list. Latency: sum of stage costs and network transfers;
// throughput: the max of them (one micro-batch per period).
struct DpOut {
  std::vector<double> best;                    // by total servers
  std::vector<std::vector<Choice>> stages;     // by total servers
};

DpOut RunDp(Ctx& c, StageCache& cache, int tp, long long batch, int batch_index, int max_servers) {
  const int T = c.view.num_types(), L = static_cast<int>(c.model.config.layers);
  std::vector<int> n(T), mult(T);
  int C = 1;
  for (int t = 0; t < T; ++t) {
    n[t] = std::min<int>(static_cast<int>(c.view.type_servers[t].size()), max_servers);
    mult[t] = C;
    C *= n[t] + 1;
  }
  std::vector<int> total(C, 0);
  for (int ci = 0; ci < C; ++ci)
    for (int t = 0; t < T; ++t) total[ci] += (ci / mult[t]) % (n[t] + 1);
  const auto& tt = c.At(batch);
  // Network transfer between the last stage (type a) and the next (type b).
  std::vector<double> net(T * T, kInf);
  for (int a = 0; a < T; ++a)
    for (int b = 0; b < T; ++b) {
      const auto& sa = c.view.type_servers[a];
      const auto& sb = c.view.type_servers[b];
      const int other = a == b ? (sb.size() > 1 ? sb[1] : -1) : sb[0];
      if (other < 0) continue;
      net[a * T + b] = c.Transfer(c.view.servers[sa[0]].devices[0], c.view.servers[other].devices[0], tt);
    }
  const int S = T + 1;  // last type, T = none
  const size_t states = static_cast<size_t>(L + 1) * C * S;
  std::vector<double> val(states, kInf);
  std::vector<int> back(states, -1);
  std::vector<Choice> how(states);
  auto id = [&](int j, int ci, int last) { return (static_cast<size_t>(j) * C + ci) * S + last; };
  val[id(0, 0, T)] = 0;
  for (int j = 0; j < L; ++j)
    for (int ci = 0; ci < C; ++ci) {
      if (total[ci] >= max_servers) continue;
      for (int last = 0; last < S; ++last) {
        const double v = val[id(j, ci, last)];
        if (!std::isfinite(v)) continue;
        for (int t = 0; t < T; ++t) {
          if ((ci / mult[t]) % (n[t] + 1) >= n[t]) continue;
          const double hop = last == T ? 0 : net[last * T + t];
          if (!std::isfinite(hop)) continue;
          const int cj = ci + mult[t];
          for (int k = 1; j + k <= L; ++k) {
            const StageSol& s = cache.Get(c, t, k, j == 0, j + k == L, tp, batch, batch_index);
            if (!std::isfinite(s.cost)) continue;
            const double nv = c.throughput ? std::max({v, hop, s.cost}) : v + hop + s.cost;
            const size_t to = id(j + k, cj, t);
            if (nv < val[to]) val[to] = nv, back[to] = static_cast<int>(id(j, ci, last)), how[to] = {t, k};
          }
        }
      }
    }
  DpOut out;
  out.best.assign(max_servers + 1, kInf);
  out.stages.assign(max_servers + 1, {});
  for (int ci = 0; ci < C; ++ci) {
    if (total[ci] > max_servers) continue;  // unreachable (and out of out.best)
    for (int last = 0; last < T; ++last) {
      const size_t at = id(L, ci, last);
      if (val[at] < out.best[total[ci]]) {
        out.best[total[ci]] = val[at];
        std::vector<Choice> st;
        for (size_t x = at; back[x] >= 0; x = back[x]) st.push_back(how[x]);
        std::reverse(st.begin(), st.end());
        out.stages[total[ci]] = st;
      }
    }
  }
  return out;
}

// The stage list as a plan (servers in orbit order: the i-th stage of a
// type takes that type's next server).
LlmPlan ToPlan(Ctx& c, StageCache& cache, const std::vector<Choice>& choices, int tp, long long batch, int bi) {
  LlmPlan p;
  p.throughput = c.throughput;
  std::vector<int> next(c.view.num_types(), 0);
  int layer = 0;
  const int L = static_cast<int>(c.model.config.layers);
  for (const Choice& ch : choices) {
    const StageSol& s = cache.Get(c, ch.type, ch.k, layer == 0, layer + ch.k == L, tp, batch, bi);
    LlmStage st;
    st.server = c.view.type_servers[ch.type][next[ch.type]++];
    st.server_name = c.view.servers[st.server].name;
    st.server_type = ch.type;
    st.first_layer = layer;
    st.num_layers = ch.k;
    st.tp = s.tp;
    st.split_ops = s.split_ops;
    for (LlmBlock b : s.blocks) {
      b.device = c.view.servers[st.server].devices[b.device];
      st.blocks.push_back(b);
    }
    p.stages.push_back(st);
    layer += ch.k;
  }
  return p;
}

// Lower bounds (docs/llm.md): every layer runs on one unit (a device, or a
// TP group of t identical GPUs at work / t without all-reduce) and the
// chain is sequential: latency >= min embed + min head + the cheapest
// fractional filling of L layers into the units' memory. Throughput:
// device d does x_d layer-equivalents at best rate rho_d within its memory,
// so period P >= min P with sum_d min(P rho_d, m_d) >= L.
double LatencyBound(Ctx& c, long long batch) {
  const auto& tt = c.At(batch);
  struct Unit { double time, room; };
  std::vector<Unit> units;
  double be = kInf, bh = kInf;
  auto comb = [&](const std::vector<std::array<double, kMaxTp + 1>>& a, const std::vector<std::array<double, kMaxTp + 1>>& b,
                  int d, int t) { return c.coef.pre * a[d][t] + c.coef.dec * b[d][t]; };
  std::vector<int> degrees = {1};
  for (int t : c.tp_degrees) degrees.push_back(t);
  std::vector<int> class_size(c.pl.num_devices(), 0);
  for (int d = 0; d < c.pl.num_devices(); ++d)
    if (c.allowed[d]) ++class_size[c.cls[d]];
  for (int d = 0; d < c.pl.num_devices(); ++d) {
    if (!c.allowed[d]) continue;
    for (int t : degrees) {
      if (t > 1 && (!c.gpu[d] || class_size[c.cls[d]] < t)) continue;
      const double room = std::isfinite(c.Cap(d)) ? std::max(0.0, t * (c.Cap(d) - c.ws_layer) / c.w_layer) : kInf;
      units.push_back({comb(tt.first.layer, tt.second.layer, d, t), room});
      be = std::min(be, comb(tt.first.embed, tt.second.embed, d, t));
      bh = std::min(bh, comb(tt.first.head, tt.second.head, d, t));
    }
  }
  if (c.op_split)  // attention on x, MLP on y: at most as many layers as both memories hold
    for (int x = 0; x < c.pl.num_devices(); ++x)
      for (int y = 0; y < c.pl.num_devices(); ++y) {
        if (x == y || !c.allowed[x] || !c.allowed[y]) continue;
        const double room = std::min(std::isfinite(c.Cap(x)) ? std::max(0.0, (c.Cap(x) - c.ws_layer) / c.w_attn) : kInf,
                                     std::isfinite(c.Cap(y)) ? std::max(0.0, (c.Cap(y) - c.ws_layer) / c.w_mlp) : kInf);
        units.push_back({c.coef.pre * (tt.first.attn[x] + tt.first.mlp[y]) + c.coef.dec * (tt.second.attn[x] + tt.second.mlp[y]),
                         room});
      }
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.time < b.time; });
  double left = static_cast<double>(c.model.config.layers), sum = 0;
  for (const Unit& u : units) {
    const double x = std::min(left, u.room);
    sum += x * u.time, left -= x;
    if (left <= 0) break;
  }
  if (left > 1e-9) return 0;  // cannot happen with a plan; no bound
  return be + bh + sum;
}

double PeriodBound(Ctx& c, long long batch) {
  const auto& tt = c.At(batch);
  if (c.op_split) {
    // Work conservation only: every layer costs some device(s) at least
    // tau (whole, or attention + MLP parts); the busiest device >= L tau / m.
    double tau = kInf, ta = kInf, tm = kInf;
    int m = 0;
    for (int d = 0; d < c.pl.num_devices(); ++d) {
      if (!c.allowed[d]) continue;
      ++m;
      tau = std::min(tau, c.coef.pre * tt.first.layer[d][1] + c.coef.dec * tt.second.layer[d][1]);
      for (int t : c.tp_degrees)
        if (c.gpu[d]) tau = std::min(tau, t * (c.coef.pre * tt.first.layer[d][t] + c.coef.dec * tt.second.layer[d][t]));
      ta = std::min(ta, c.coef.pre * tt.first.attn[d] + c.coef.dec * tt.second.attn[d]);
      tm = std::min(tm, c.coef.pre * tt.first.mlp[d] + c.coef.dec * tt.second.mlp[d]);
    }
    return m > 0 ? c.model.config.layers * std::min(tau, ta + tm) / m : 0;
  }
  std::vector<std::pair<double, double>> dev;  // rate, room
  std::vector<int> degrees = {1};
  for (int t : c.tp_degrees) degrees.push_back(t);
  for (int d = 0; d < c.pl.num_devices(); ++d) {
    if (!c.allowed[d]) continue;
    double rate = 0;
    for (int t : degrees) {
      if (t > 1 && !c.gpu[d]) continue;
      const double time = c.coef.pre * tt.first.layer[d][t] + c.coef.dec * tt.second.layer[d][t];
      rate = std::max(rate, 1.0 / (t * time));
    }
    const double room = std::isfinite(c.Cap(d)) ? std::max(0.0, (c.Cap(d) - c.ws_layer) / c.w_layer) : kInf;
    if (rate > 0) dev.push_back({rate, room});
  }
  const double L = static_cast<double>(c.model.config.layers);
  auto done = [&](double P) {
    double s = 0;
    for (auto [r, m] : dev) s += std::min(P * r, m);
    return s;
  };
  double hi = 1;
  for (int i = 0; i < 200 && done(hi) < L; ++i) hi *= 2;
  if (done(hi) < L) return 0;
  double lo = 0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (done(mid) >= L ? hi : lo) = mid;
  }
  return lo;
}

std::string Gb(double bytes) { return fmt::format("{:.1f} GB", bytes / 1e9); }

void SetupCtx(Ctx& c, const LlmPlanOptions& o) {
  c.view = ViewCluster(c.pl);
  c.coef = PhaseCoef(c.model);
  c.throughput = o.throughput;
  const int m = c.pl.num_devices();
  c.allowed.assign(m, 1);
  c.empty_blocks = o.target == "none";
  c.op_split = o.granularity == "operator";
  c.cpu_first = o.target == "llamacpp";
  if (c.op_split && o.target != "none")
    throw InputError("granularity operator: --target " + o.target + " runs whole layers per device");
  c.gpu.assign(m, 0);
  c.cls = c.pl.SymmetryClasses();
  bool any_gpu = false;
  for (int d = 0; d < m; ++d) {
    c.gpu[d] = KindOf(c.pl.devices[d], c.ro) == DeviceKind::kGpu;
    any_gpu = any_gpu || c.gpu[d];
    if (o.target == "vllm" && !c.gpu[d]) c.allowed[d] = 0;
  }
  if (o.target == "vllm" && !any_gpu)
    throw InputError("--target vllm: the cluster '" + c.pl.name + "' has no GPU (vLLM runs on GPUs only)");
  const LlmConfig& cfg = c.model.config;
  const bool tp_ok = o.target != "llamacpp" && o.target != "torch-pipelining";
  if (tp_ok && o.tensor_parallel != 1)
    for (int t = 2; t <= kMaxTp; t *= 2)
      if (cfg.heads % t == 0 && cfg.kv_heads % t == 0 && (o.tensor_parallel == 0 || o.tensor_parallel == t))
        c.tp_degrees.push_back(t);
  if (!tp_ok && o.tensor_parallel > 1)
    throw InputError("--tensor-parallel " + std::to_string(o.tensor_parallel) + ": --target " + o.target +
                     " splits layers only (no tensor parallelism)");
  if (o.tensor_parallel > 1 && c.tp_degrees.empty())
    throw InputError(fmt::format("--tensor-parallel {}: must divide the {} attention and {} KV heads and be at most {}",
                                 o.tensor_parallel, cfg.heads, cfg.kv_heads, kMaxTp));
  const LlmNodeWork e = EmbeddingWork(c.model, LlmPhase::kPrefill), l = LayerWork(c.model, LlmPhase::kPrefill),
                    h = HeadWork(c.model, LlmPhase::kPrefill);
  c.w_layer = l.param_bytes, c.w_embed = e.param_bytes, c.w_head = h.param_bytes;
  c.ws_layer = l.memory_bytes, c.ws_embed = e.memory_bytes, c.ws_head = h.memory_bytes;
  LlmModel one = c.model;
  one.config.layers = 1;
  const Graph g = BuildLlmOperatorGraph(one, LlmPhase::kPrefill);
  for (int v = 1; v <= 6; ++v) (v <= 4 ? c.w_attn : c.w_mlp) += g.nodes[v].param_bytes;
}

[[noreturn]] void NoFit(Ctx& c, int max_servers, int tp) {
  const double L = static_cast<double>(c.model.config.layers);
  const double weights = TotalParams(c.model.config) * c.model.weight_bytes();
  const double kv = L * (c.w_layer - LayerParams(c.model.config) * c.model.weight_bytes());
  const double need = c.w_embed + L * c.w_layer + c.w_head + c.ws_layer;
  // Memory the setting can use: with a fixed TP degree t > 1 only groups of
  // t identical GPUs of a server.
  std::vector<double> server_cap;
  for (const auto& s : c.view.servers) {
    double cap = 0;
    std::map<int, std::vector<int>> by_class;
    for (int d : s.devices)
      if (c.allowed[d]) by_class[c.cls[d]].push_back(d);
    for (const auto& [cl, devs] : by_class) {
      if (tp > 1 && (!c.gpu[devs[0]] || static_cast<int>(devs.size()) < tp)) continue;
      const size_t use = tp > 1 ? devs.size() / tp * tp : devs.size();
      for (size_t i = 0; i < use; ++i) cap += c.Cap(devs[i]);
    }
    server_cap.push_back(cap);
  }
  std::sort(server_cap.rbegin(), server_cap.rend());
  double have = 0;
  for (int i = 0; i < std::min<int>(max_servers, static_cast<int>(server_cap.size())); ++i) have += server_cap[i];
  std::string only;
  if (c.allowed != std::vector<char>(c.allowed.size(), 1)) only = "GPUs only";
  if (tp > 1) only += (only.empty() ? "" : ", ") + fmt::format("groups of {} identical GPUs", tp);
  const std::string where = fmt::format("{} of the {} servers of '{}'{}", std::min<int>(max_servers, server_cap.size()),
                                        server_cap.size(), c.pl.name, only.empty() ? "" : " (" + only + ")");
  if (need > have)
    throw InputError(fmt::format("{} does not fit: it needs {} (weights {}, KV cache {}, workspace {}) but {} hold {}: {} missing",
                                 c.model.config.name, Gb(need), Gb(weights), Gb(kv), Gb(c.ws_layer), where, Gb(have),
                                 Gb(need - have)));
  throw InputError(fmt::format("{} does not fit in whole layers: it needs {} and {} hold {}, but a layer takes {} (weights + "
                               "KV cache) plus {} workspace and the devices' memory does not divide into whole layers",
                               c.model.config.name, Gb(need), where, Gb(have), Gb(c.w_layer), Gb(c.ws_layer)));
}

void Evaluate(Ctx& c, LlmPlan* p);

long long MicroBatch(const LlmModel& m, int servers) {
  return (m.workload.batch + servers - 1) / servers;
}

// The value for the objective after EvaluateLlmPlan.
double Better(bool throughput, const LlmPlan& a) { return throughput ? -a.tokens_per_s : a.value; }

LlmPlan PlanDp(Ctx& c, const LlmPlanOptions& o, int max_servers) {
  StageCache cache;
  std::vector<int> tps;
  if (o.target == "vllm" && o.tensor_parallel == 0) {
    tps.push_back(1);
    for (int t : c.tp_degrees) tps.push_back(t);
  } else {
    tps.push_back(o.tensor_parallel);  // 0 = auto per stage, 1 none, t fixed
  }
  LlmPlan best;
  bool have = false;
  int min_servers = 0;
  std::vector<double> best_by_servers(max_servers + 1, kInf);
  for (size_t ti = 0; ti < tps.size(); ++ti) {
    const int tp = tps[ti];
    if (!c.throughput) {
      const long long B = c.model.workload.batch;
      DpOut out = RunDp(c, cache, tp, B, static_cast<int>(B), max_servers);
      for (int s = 1; s <= max_servers; ++s) {
        if (!std::isfinite(out.best[s])) continue;
        LlmPlan p = ToPlan(c, cache, out.stages[s], tp, B, static_cast<int>(B));
        Evaluate(c, &p);
        best_by_servers[s] = std::min(best_by_servers[s], p.value);
        if (!have || p.value < best.value) best = p, have = true;
      }
    } else {
      for (int s = 1; s <= max_servers; ++s) {
        const long long mb = MicroBatch(c.model, s);
        const int bi = static_cast<int>(mb);
        DpOut out = RunDp(c, cache, tp, mb, bi, s);
        if (!std::isfinite(out.best[s])) continue;
        LlmPlan p = ToPlan(c, cache, out.stages[s], tp, mb, bi);
        Evaluate(c, &p);
        best_by_servers[s] = std::min(best_by_servers[s], -p.tokens_per_s);
        if (!have || p.tokens_per_s > best.tokens_per_s) best = p, have = true;
      }
    }
  }
  if (!have) NoFit(c, max_servers, o.tensor_parallel);
  for (int s = max_servers; s >= 1; --s)
    if (std::isfinite(best_by_servers[s])) min_servers = s;
  best.min_servers = min_servers;
  if (best.servers_used == min_servers) {
    best.servers_reason = min_servers > 1 ? fmt::format("memory: the model fits on no fewer than {} servers", min_servers)
                                          : "memory and speed: one server holds the model and no split is faster";
  } else {
    const double a = best_by_servers[best.servers_used], b = best_by_servers[min_servers];
    best.servers_reason = fmt::format("speed: {} servers are {:.2f}x {} than the fewest that fit ({})", best.servers_used,
                                      c.throughput ? a / b : b / a, c.throughput ? "faster" : "faster", min_servers);
  }
  return best;
}

// Baselines: layers proportional to a weight (memory or peak FLOP/s) over
// the servers (largest first) and inside each over its devices; the best
// server count.
LlmPlan PlanProportional(Ctx& c, const LlmPlanOptions& o, int max_servers) {
  const bool by_memory = o.strategy == "memory";
  auto weight = [&](int d) {
    const Device& dv = c.pl.devices[d];
    return by_memory ? (std::isfinite(dv.memory_bytes) ? dv.memory_bytes : 1e15) : dv.peak_flops;
  };
  std::vector<int> order(c.view.servers.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> sw(order.size(), 0);
  for (size_t s = 0; s < order.size(); ++s)
    for (int d : c.view.servers[s].devices)
      if (c.allowed[d]) sw[s] += weight(d);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return sw[a] > sw[b]; });
  auto split = [](long long total, const std::vector<double>& w) {
    const double sum = std::accumulate(w.begin(), w.end(), 0.0);
    std::vector<long long> n(w.size(), 0);
    std::vector<std::pair<double, int>> frac;
    long long used = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      const double x = sum > 0 ? total * w[i] / sum : 0;
      n[i] = static_cast<long long>(std::floor(x));
      used += n[i];
      frac.push_back({x - n[i], static_cast<int>(i)});
    }
    std::stable_sort(frac.begin(), frac.end(), [](auto a, auto b) { return a.first > b.first; });
    for (size_t i = 0; used < total; ++i, ++used) ++n[frac[i % frac.size()].second];
    return n;
  };
  const long long L = c.model.config.layers;
  LlmPlan best;
  bool have = false;
  int min_servers = 0;
  for (int s = 1; s <= std::min<int>(max_servers, order.size()); ++s) {
    std::vector<double> w;
    for (int i = 0; i < s; ++i) w.push_back(sw[order[i]]);
    std::vector<long long> per = split(L, w);
    LlmPlan p;
    p.throughput = c.throughput;
    long long layer = 0;
    for (int i = 0; i < s; ++i) {
      if (per[i] == 0) continue;
      LlmStage st;
      st.server = order[i];
      st.server_name = c.view.servers[st.server].name;
      st.server_type = c.view.servers[st.server].type;
      st.first_layer = static_cast<int>(layer);
      st.num_layers = static_cast<int>(per[i]);
      std::vector<int> devs;
      std::vector<double> dw;
      for (int d : c.view.servers[st.server].devices)
        if (c.allowed[d]) devs.push_back(d), dw.push_back(weight(d));
      std::vector<long long> cnt = split(per[i], dw);
      for (size_t j = 0; j < devs.size(); ++j)
        if (cnt[j] > 0) st.blocks.push_back({devs[j], static_cast<int>(cnt[j]), false, false, 0});
      p.stages.push_back(st);
      layer += per[i];
    }
    p.stages.front().blocks.front().embed = true;
    p.stages.back().blocks.back().head = true;
    Evaluate(c, &p);
    if (!p.message.empty()) continue;  // does not fit
    if (!min_servers) min_servers = p.servers_used;
    if (!have || Better(c.throughput, p) < Better(c.throughput, best)) best = p, have = true;
  }
  if (!have) {
    try {
      NoFit(c, max_servers, 1);
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + " (split proportional to " + (by_memory ? "memory" : "FLOP/s") + ")");
    }
  }
  best.min_servers = min_servers;
  best.servers_reason = fmt::format("baseline: the best of 1..{} servers (largest first) for the proportional split",
                                    std::min<int>(max_servers, order.size()));
  return best;
}

}  // namespace

namespace {
void Evaluate(Ctx& c, LlmPlan* p) {
  const LlmModel& model = c.model;
  const Platform& pl = c.pl;
  p->phase = model.workload.phase;
  p->message.clear();
  const int S = static_cast<int>(p->stages.size());
  p->servers_used = S;
  p->micro_batches = std::max(1, S);
  p->micro_batch = MicroBatch(model, p->micro_batches);
  const auto& full = c.At(model.workload.batch);
  const auto& micro = c.At(p->micro_batch);
  p->ttft_s = p->tpot_s = 0;
  double period = 0;
  int prev_dev = -1;
  for (LlmStage& st : p->stages) {
    st.prefill_s = st.decode_s = 0;
    const int tp = st.tp;
    auto add_transfer = [&](int from, int to) {
      if (from < 0) return;
      st.prefill_s += pl.TransferTime(from, to, full.first.hidden);
      st.decode_s += pl.TransferTime(from, to, full.second.hidden);
      period = std::max(period, c.coef.pre * pl.TransferTime(from, to, micro.first.hidden) +
                                    c.coef.dec * pl.TransferTime(from, to, micro.second.hidden));
    };
    if (tp > 1) {
      const int d0 = st.blocks[0].device, d1 = st.blocks[1].device;
      add_transfer(prev_dev, d0);
      auto phase = [&](const Times& t) {
        double s = st.num_layers * (t.layer[d0][tp] + c.AllReduce(d0, d1, tp, 2 * t.hidden));
        if (st.blocks[0].embed) s += t.embed[d0][tp] + c.AllReduce(d0, d1, tp, t.hidden) / 2;
        if (st.blocks[0].head) s += t.head[d0][tp] + c.AllReduce(d0, d1, tp, t.hidden) / 2;
        return s;
      };
      st.prefill_s += phase(full.first);
      st.decode_s += phase(full.second);
      period = std::max(period, c.coef.pre * phase(micro.first) + c.coef.dec * phase(micro.second));
      for (LlmBlock& b : st.blocks) {
        b.memory_bytes = (st.num_layers * c.w_layer + (b.embed ? c.w_embed : 0) + (b.head ? c.w_head : 0)) / tp +
                         std::max({c.ws_layer, b.embed ? c.ws_embed : 0.0, b.head ? c.ws_head : 0.0});
        if (b.memory_bytes > c.Cap(b.device) * (1 + 1e-12))
          p->message = fmt::format("device '{}' needs {} of {}", pl.devices[b.device].name, Gb(b.memory_bytes),
                                   Gb(c.Cap(b.device)));
      }
      prev_dev = d0;
      continue;
    }
    if (st.split_ops) {
      LlmBlock& bx = st.blocks[0];
      LlmBlock& by = st.blocks[1];
      const int x = bx.device, y = by.device, k = st.num_layers;
      add_transfer(prev_dev, x);
      auto phase = [&](const Times& t) {
        return k * (t.attn[x] + t.mlp[y] + pl.TransferTime(x, y, t.hidden)) + (k - 1) * pl.TransferTime(y, x, t.hidden) +
               (bx.embed ? t.embed[x][1] : 0) + (by.head ? t.head[y][1] : 0);
      };
      st.prefill_s += phase(full.first);
      st.decode_s += phase(full.second);
      auto both = [&](const std::function<double(const Times&)>& f) {
        return c.coef.pre * f(micro.first) + c.coef.dec * f(micro.second);
      };
      period = std::max({period, both([&](const Times& t) { return k * t.attn[x] + (bx.embed ? t.embed[x][1] : 0); }),
                         both([&](const Times& t) { return k * t.mlp[y] + (by.head ? t.head[y][1] : 0); }),
                         both([&](const Times& t) { return k * pl.TransferTime(x, y, t.hidden); }),
                         both([&](const Times& t) { return (k - 1) * pl.TransferTime(y, x, t.hidden); })});
      bx.memory_bytes = k * c.w_attn + (bx.embed ? c.w_embed : 0) + std::max(c.ws_layer, bx.embed ? c.ws_embed : 0.0);
      by.memory_bytes = k * c.w_mlp + (by.head ? c.w_head : 0) + std::max(c.ws_layer, by.head ? c.ws_head : 0.0);
      for (const LlmBlock* b : {&bx, &by})
        if (b->memory_bytes > c.Cap(b->device) * (1 + 1e-12))
          p->message = fmt::format("device '{}' needs {} of {}", pl.devices[b->device].name, Gb(b->memory_bytes),
                                   Gb(c.Cap(b->device)));
      prev_dev = y;
      continue;
    }
    for (LlmBlock& b : st.blocks) {
      const int d = b.device;
      add_transfer(prev_dev, d);
      auto phase = [&](const Times& t) {
        return (b.layers > 0 ? b.layers * t.layer[d][1] : 0) + (b.embed ? t.embed[d][1] : 0) + (b.head ? t.head[d][1] : 0);
      };
      st.prefill_s += phase(full.first);
      st.decode_s += phase(full.second);
      period = std::max(period, c.coef.pre * phase(micro.first) + c.coef.dec * phase(micro.second));
      b.memory_bytes = b.layers * c.w_layer + (b.embed ? c.w_embed : 0) + (b.head ? c.w_head : 0) +
                       std::max({b.layers > 0 ? c.ws_layer : 0.0, b.embed ? c.ws_embed : 0.0, b.head ? c.ws_head : 0.0});
      if (b.memory_bytes > c.Cap(d) * (1 + 1e-12))
        p->message = fmt::format("device '{}' needs {} of {}", pl.devices[d].name, Gb(b.memory_bytes), Gb(c.Cap(d)));
      prev_dev = d;
    }
  }
  for (const LlmStage& st : p->stages) p->ttft_s += st.prefill_s, p->tpot_s += st.decode_s;
  p->e2e_s = p->ttft_s + model.workload.gen * p->tpot_s;
  p->period_s = period;
  p->tokens_per_s = period > 0 ? TokensPerMicroBatch(model, static_cast<double>(p->micro_batch)) / period : 0;
  if (p->throughput) {
    p->value = period;
  } else {
    p->value = model.workload.phase == LlmPhase::kPrefill ? p->ttft_s
               : model.workload.phase == LlmPhase::kDecode ? p->tpot_s
                                                           : p->e2e_s;
  }
}
}  // namespace

void EvaluateLlmPlan(const LlmModel& model, const Platform& pl, LlmPlan* p) {
  Ctx c(model, pl);
  LlmPlanOptions o;
  o.throughput = p->throughput;
  for (const LlmStage& st : p->stages)
    if (st.split_ops) o.granularity = "operator";
  SetupCtx(c, o);
  Evaluate(c, p);
}

LlmPlan PlanLlm(const LlmModel& model, const Platform& platform, const LlmPlanOptions& o) {
  const Stopwatch clock;
  if (model.config.layers < 1 || model.config.hidden < 1 || model.config.heads < 1 || model.config.vocab < 1 ||
      model.config.kv_heads < 1 || model.config.ffn < 1)
    throw InputError(model.config.name + ": every size of the model must be positive");
  if (platform.num_devices() == 0) throw InputError(platform.name + ": the platform has no devices");
  Ctx c(model, platform);
  SetupCtx(c, o);
  const int servers = static_cast<int>(c.view.servers.size());
  if (o.max_servers < 0) throw InputError("--max-servers: must be at least 1");
  const int max_servers = o.max_servers > 0 ? std::min(o.max_servers, servers) : servers;
  LlmPlan p = o.strategy == "dp" ? PlanDp(c, o, max_servers) : PlanProportional(c, o, max_servers);
  p.model = model;
  p.strategy = o.strategy;
  p.target = o.target;
  p.throughput = o.throughput;
  p.subproblems_solved = c.solved;
  p.subproblems_reused = c.reused;
  if (!o.throughput) {
    p.lower_bound = LatencyBound(c, model.workload.batch);
    p.bound_note = "every layer on its cheapest device or TP group within fractional memory, transfers and "
                   "all-reduces dropped: valid for every plan of the cost model, contiguous or not";
  } else {
    p.lower_bound = PeriodBound(c, p.micro_batch);
    p.tokens_per_s_upper = 0;
    for (int s = 1; s <= max_servers; ++s) {
      const double pb = PeriodBound(c, MicroBatch(model, s));
      if (pb > 0) p.tokens_per_s_upper = std::max(p.tokens_per_s_upper, TokensPerMicroBatch(model, double(MicroBatch(model, s))) / pb);
    }
    p.bound_note = "period of this micro-batch: device loads at their best rate (alone or in a TP group) within "
                   "fractional memory, transfers dropped; tokens/s upper bound over every server count";
  }
  if (o.target != "none" && o.strategy == "dp" && o.compare_unrestricted) {
    LlmPlanOptions free = o;
    free.target = "none";
    free.compare_unrestricted = false;
    free.tensor_parallel = o.target == "vllm" ? o.tensor_parallel : 0;
    try {
      const LlmPlan u = PlanLlm(model, platform, free);
      p.unrestricted_value = o.throughput ? u.tokens_per_s : u.value;
      const double cost = o.throughput ? u.tokens_per_s / p.tokens_per_s : p.value / u.value;
      p.restriction_note = fmt::format("--target {} costs {:.1f}% against the unrestricted optimum ({} {:.6g} vs {:.6g})",
                                       o.target, 100 * (cost - 1), o.throughput ? "tokens/s" : "latency s",
                                       o.throughput ? p.tokens_per_s : p.value, p.unrestricted_value);
    } catch (const InputError&) {
    }
  }
  p.solve_time_s = clock.seconds();
  return p;
}

}  // namespace diviml
