// Gantt chart as plain SVG: one lane per device, a box per node (labelled
// when it fits), transfers as arrows between lanes, the makespan and the
// lower bound as vertical lines, and a time axis. O(V + E) elements.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>

#include "diviml/export/export.h"
#include "diviml/export/report.h"
#include "export/svg.h"

namespace diviml {
namespace {

// A distinct colour per operator class, the HTML report's (OpColor): ops
// sorted by name, colour i for the i-th.
std::map<std::string, std::string> OpColors(const Graph& g) {
  std::map<std::string, std::string> colors;
  for (const Node& node : g.nodes) colors[node.op];
  int i = 0;
  for (auto& [op, color] : colors) color = OpColor(i++);
  return colors;
}

}  // namespace

std::string GanttSvg(const Problem& pr, const Plan& plan, const Schedule& s,
                     const GanttOptions& opt) {
  const int m = pr.m();
  const double left = 140, right = 30, top = 50, lane = 44, gap = 14, plot_w = 1000;
  const double end = std::max({s.makespan_s, opt.lower_bound_s, 1e-12});
  // Axis unit: s, ms or us, whichever keeps the numbers readable.
  const double scale = end >= 1 ? 1 : end >= 1e-3 ? 1e3 : 1e6;
  const char* unit = end >= 1 ? "s" : end >= 1e-3 ? "ms" : "us";
  // Legend: operator kinds in order of first appearance (at most 12).
  const std::map<std::string, std::string> color = OpColors(pr.graph());
  std::vector<std::string> ops;
  for (const Node& node : pr.graph().nodes)
    if (ops.size() < 12 && std::find(ops.begin(), ops.end(), node.op) == ops.end()) ops.push_back(node.op);
  const double height = top + m * (lane + gap) + 50 + (ops.size() > 1 ? 24 : 0);
  auto X = [&](double t) { return left + plot_w * t / end; };
  auto Y = [&](int d) { return top + d * (lane + gap); };
  std::ostringstream o;
  o << svg::Header(left + plot_w + right, height);
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << fmt::format("<text x=\"{}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", left,
                   svg::Escape(opt.title));
  o << fmt::format("<text x=\"{}\" y=\"40\">makespan {:.6g} {}, lower bound {:.6g} {}</text>\n", left,
                   s.makespan_s * scale, unit, opt.lower_bound_s * scale, unit);
  const double axis_y = top + m * (lane + gap);
  double step = svg::NiceStep(end);
  for (double t = 0; t <= end * 1.0001; t += step) {
    o << fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#eee\"/>\n", X(t), top - 4,
                     axis_y);
    o << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{:.4g}</text>\n", X(t), axis_y + 14,
                     t * scale);
  }
  o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">time ({})</text>\n", left + plot_w / 2,
                   axis_y + 32, unit);
  if (ops.size() > 1) {
    double x = left;
    for (const std::string& op : ops) {
      o << fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#333\" "
                       "stroke-width=\"0.5\"/><text x=\"{:.1f}\" y=\"{}\">{}</text>\n",
                       x, axis_y + 42, color.at(op), x + 16, axis_y + 52, svg::Escape(op));
      x += 30 + 7.0 * op.size();
    }
  }
  for (int d = 0; d < m; ++d) {
    o << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f7f7\"/>\n", left, Y(d),
                     plot_w, lane);
    o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", left - 8, Y(d) + lane / 2 + 4,
                     svg::Escape(pr.platform().devices[d].name));
    for (int v : plan.order[d]) {
      const Node& node = pr.graph().nodes[v];
      double x0 = X(s.start_s[v]), w = std::max(0.5, X(s.end_s[v]) - x0);
      o << fmt::format(
          "<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\" stroke=\"#333\" "
          "stroke-width=\"0.5\"><title>{} ({}) on {}: {:.6g} - {:.6g} s</title></rect>\n",
          x0, Y(d) + 4, w, lane - 8, color.at(node.op), svg::Escape(node.id), svg::Escape(node.op),
          svg::Escape(pr.platform().devices[d].name), s.start_s[v], s.end_s[v]);
      if (w > 7.0 * node.id.size())
        o << fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x0 + w / 2,
                         Y(d) + lane / 2 + 4, svg::Escape(node.id));
    }
  }
  // Transfers: an arrow from the producer's lane at its end to the
  // consumer's lane at arrival.
  o << "<defs><marker id=\"a\" markerWidth=\"6\" markerHeight=\"6\" refX=\"5\" refY=\"3\" "
       "orient=\"auto\"><path d=\"M0,0 L6,3 L0,6 z\" fill=\"#c33\"/></marker></defs>\n";
  for (const Transfer& t : s.transfers) {
    double y0 = Y(t.from_device) + lane / 2, y1 = Y(t.to_device) + lane / 2;
    const Edge& e = pr.graph().edges[t.edge];
    o << fmt::format(
        "<line x1=\"{:.2f}\" y1=\"{}\" x2=\"{:.2f}\" y2=\"{}\" stroke=\"#c33\" stroke-width=\"1\" "
        "marker-end=\"url(#a)\" opacity=\"0.6\"><title>{} -> {}: {:.6g} bytes, {:.6g} - {:.6g} "
        "s</title></line>\n",
        X(t.start_s), y0, X(t.end_s), y1, svg::Escape(pr.graph().nodes[e.from].id),
        svg::Escape(pr.graph().nodes[e.to].id), e.bytes, t.start_s, t.end_s);
  }
  double yb = axis_y;
  o << fmt::format("<line x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"black\" "
                   "stroke-width=\"2\"/>\n",
                   X(s.makespan_s), top - 8, yb);
  if (opt.lower_bound_s > 0)
    o << fmt::format("<line x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#27c\" "
                     "stroke-width=\"2\" stroke-dasharray=\"6,4\"><title>lower bound {3:.6g} "
                     "s</title></line>\n",
                     X(opt.lower_bound_s), top - 8, yb, opt.lower_bound_s);  // title in seconds
  o << "</svg>\n";
  return o.str();
}

}  // namespace diviml
