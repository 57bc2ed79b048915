// The throughput Gantt chart: `periods` periods of the saturated simulation
// (include/diviml/export/export.h).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "diviml/core/throughput_model.h"
#include "diviml/export/export.h"
#include "export/svg.h"

namespace diviml {

std::string ThroughputGanttSvg(const Problem& pr, const ThroughputPlan& plan, int periods) {
  const int m = pr.m(), n = pr.n();
  PeriodInfo info = EvaluatePeriod(pr, plan);
  const int R = plan.replicas();
  const int samples = std::max(4 * R * (periods + 2), 40);
  const std::vector<SimulationInterval> trace = SimulationTrace(pr, plan, samples);
  // A window of `periods` periods after the pipeline has filled.
  double t_end = 0;
  for (const auto& iv : trace) t_end = std::max(t_end, iv.end);
  const double P = info.period_s > 0 ? info.period_s : 1;
  double t0 = std::max(0.0, t_end / 2 - periods * P / 2), t1 = t0 + periods * P;
  std::vector<int> rows;  // resources shown
  std::vector<char> used(m + m * m, 0);
  for (int d = 0; d < m; ++d) used[d] = 1;
  for (const auto& iv : trace) used[iv.resource] = 1;
  for (int r = 0; r < m + m * m; ++r)
    if (used[r]) rows.push_back(r);
  const auto& devs = pr.platform().devices;
  auto label = [&](int r) {
    if (r < m) return devs[r].name;
    return devs[(r - m) / m].name + "->" + devs[(r - m) % m].name;
  };
  const double W = 900, left = 140, rowh = 22, top = 30;
  const double H = top + rowh * rows.size() + 30;
  std::string out = svg::Header(left + W + 20, H);
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<text x=\"10\" y=\"18\">%s on %s: %d replicas, period %.4g s, throughput %.4g/s (%d periods)</text>\n",
                svg::Escape(pr.graph().name).c_str(), svg::Escape(pr.platform().name).c_str(), R, info.period_s, info.throughput_per_s, periods);
  out += buf;
  for (size_t k = 0; k < rows.size(); ++k) {
    std::snprintf(buf, sizeof buf, "<text x=\"10\" y=\"%.1f\">%s</text>\n", top + rowh * k + 15, svg::Escape(label(rows[k])).c_str());
    out += buf;
  }
  for (int k = 0; k <= periods; ++k) {
    double x = left + W * k / periods;
    std::snprintf(buf, sizeof buf, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n",
                  x, top - 4, x, top + rowh * rows.size() + 4);
    out += buf;
  }
  std::vector<int> row_of(m + m * m, -1);
  for (size_t k = 0; k < rows.size(); ++k) row_of[rows[k]] = static_cast<int>(k);
  for (const auto& iv : trace) {
    if (iv.end <= t0 || iv.start >= t1) continue;
    double a = std::max(iv.start, t0), b = std::min(iv.end, t1);
    double x = left + W * (a - t0) / (t1 - t0), w = std::max(0.5, W * (b - a) / (t1 - t0));
    int hue = (iv.sample * 47) % 360;
    std::string what = iv.task < n ? pr.graph().nodes[iv.task].id : "edge " + std::to_string(iv.task - n);
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"hsl(%d,60%%,60%%)\"><title>sample %d: %s</title></rect>\n",
                  x, top + rowh * row_of[iv.resource] + 2, w, rowh - 4, hue, iv.sample, svg::Escape(what).c_str());
    out += buf;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace diviml
