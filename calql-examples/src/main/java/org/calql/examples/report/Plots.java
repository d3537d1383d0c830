package org.calql.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's two PNG plots, drawn headless with XChart. Both put pre-training and fine-tuning on one
 * axis: pre-training evaluations at negative steps ({@code update − offlineSteps}, so pre-training ends at
 * 0), fine-tuning evaluations at their environment step; a grey vertical line marks the switch.
 */
public final class Plots {
    private static final Color[] PALETTE = {
        new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28), new Color(0x2c, 0xa0, 0x2c),
        new Color(0x94, 0x67, 0xbd), new Color(0xff, 0x7f, 0x0e)};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final String X_TITLE = "step (pre-training updates < 0 ≤ fine-tuning environment steps)";

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /**
     * Success rate against step: one thin line per run and a thick line for each method's mean over its runs.
     */
    public static void finetune(Path file, List<EvaluationRow> rows, List<String> methods, long offlineSteps)
            throws IOException {
        XYChart chart = chart("Success rate of the deterministic policy (pre-training, then fine-tuning)",
                "success rate");
        chart.getStyler().setYAxisMin(-0.02).setYAxisMax(1.02);
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            Color colour = colour(m);
            Map<Long, List<EvaluationRow>> bySeed = new TreeMap<>();
            for (EvaluationRow r : rows) {
                if (r.method().equals(method)) {
                    bySeed.computeIfAbsent(r.seed(), k -> new ArrayList<>()).add(r);
                }
            }
            for (Map.Entry<Long, List<EvaluationRow>> e : bySeed.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                double[][] xy = line(e.getValue(), offlineSteps, EvaluationRow::successRate);
                XYSeries s = chart.addSeries(MethodLabels.display(method) + " seed " + e.getKey(), xy[0], xy[1]);
                s.setLineColor(faded(colour));
                s.setMarker(SeriesMarkers.NONE);
                s.setShowInLegend(false);
                s.setLineStyle(new BasicStroke(1f));
            }
            double[][] mean = meanLine(rows, method, offlineSteps, EvaluationRow::successRate);
            if (mean[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(MethodLabels.display(method) + " (mean of " + bySeed.size() + " seeds)",
                    mean[0], mean[1]);
            s.setLineColor(colour);
            s.setMarkerColor(colour);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(new BasicStroke(3f));
        }
        phaseMarker(chart, 0, 1);
        save(file, chart);
    }

    /**
     * Learned {@code Q(s₀, π(s₀))} (solid) and the realised discounted return of the same episodes (dashed),
     * each method's mean over runs, with the data's mean Monte-Carlo return at its start states (dotted) when
     * {@code behaviourReturn} is not NaN.
     */
    public static void calibration(Path file, List<EvaluationRow> rows, List<String> methods, long offlineSteps,
                                   double behaviourReturn) throws IOException {
        XYChart chart = chart("Calibration: learned Q at start states vs realised return (training reward scale)",
                "value at start states");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            Color colour = colour(m);
            double[][] q = meanLine(rows, method, offlineSteps, EvaluationRow::startQ);
            double[][] g = meanLine(rows, method, offlineSteps, EvaluationRow::realisedReturn);
            if (q[0].length == 0) {
                continue;
            }
            XYSeries qs = chart.addSeries(MethodLabels.display(method) + ": learned Q", q[0], q[1]);
            qs.setLineColor(colour);
            qs.setMarkerColor(colour);
            qs.setMarker(SeriesMarkers.CIRCLE);
            qs.setLineStyle(new BasicStroke(2.5f));
            XYSeries gs = chart.addSeries(MethodLabels.display(method) + ": realised return", g[0], g[1]);
            gs.setLineColor(colour);
            gs.setMarkerColor(colour);
            gs.setMarker(SeriesMarkers.DIAMOND);
            gs.setLineStyle(SeriesLines.DASH_DASH);
            for (double[] ys : new double[][] {q[1], g[1]}) {
                for (double y : ys) {
                    if (Double.isFinite(y)) {
                        lo = Math.min(lo, y);
                        hi = Math.max(hi, y);
                    }
                }
            }
            xMin = Math.min(xMin, q[0][0]);
            xMax = Math.max(xMax, q[0][q[0].length - 1]);
        }
        if (Double.isFinite(behaviourReturn) && Double.isFinite(xMin)) {
            XYSeries b = chart.addSeries("data: Monte-Carlo return at start states", new double[] {xMin, xMax},
                    new double[] {behaviourReturn, behaviourReturn});
            b.setLineColor(Color.DARK_GRAY);
            b.setMarker(SeriesMarkers.NONE);
            b.setLineStyle(SeriesLines.DOT_DOT);
            lo = Math.min(lo, behaviourReturn);
            hi = Math.max(hi, behaviourReturn);
        }
        if (Double.isFinite(lo)) {
            double pad = Math.max(1.0, 0.05 * (hi - lo));
            chart.getStyler().setYAxisMin(lo - pad).setYAxisMax(hi + pad);
            phaseMarker(chart, lo - pad, hi + pad);
        }
        save(file, chart);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(X_TITLE)
                .yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        styler.setAntiAlias(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        return chart;
    }

    private static void phaseMarker(XYChart chart, double yLow, double yHigh) {
        XYSeries s = chart.addSeries("fine-tuning starts", new double[] {0, 0}, new double[] {yLow, yHigh});
        s.setLineColor(Color.GRAY);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
        s.setLineStyle(SeriesLines.DASH_DOT);
    }

    private static void save(Path file, XYChart chart) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** One run's points in timeline order. */
    private static double[][] line(List<EvaluationRow> rows, long offlineSteps, ToDoubleFunction<EvaluationRow> y) {
        TreeMap<Double, Double> points = new TreeMap<>();
        for (EvaluationRow r : rows) {
            points.put(r.timelineStep(offlineSteps), y.applyAsDouble(r));
        }
        return unzip(points);
    }

    /** A method's mean over runs at each timeline step. */
    static double[][] meanLine(List<EvaluationRow> rows, String method, long offlineSteps,
                               ToDoubleFunction<EvaluationRow> y) {
        TreeMap<Double, double[]> sums = new TreeMap<>();
        for (EvaluationRow r : rows) {
            double v = y.applyAsDouble(r);
            if (r.method().equals(method) && Double.isFinite(v)) {
                double[] s = sums.computeIfAbsent(r.timelineStep(offlineSteps), k -> new double[2]);
                s[0] += v;
                s[1]++;
            }
        }
        TreeMap<Double, Double> means = new TreeMap<>();
        sums.forEach((x, s) -> means.put(x, s[0] / s[1]));
        return unzip(means);
    }

    private static double[][] unzip(TreeMap<Double, Double> points) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : points.entrySet()) {
            xs[i] = e.getKey();
            ys[i] = e.getValue();
            i++;
        }
        return new double[][] {xs, ys};
    }

    private static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static Color faded(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
    }
}
