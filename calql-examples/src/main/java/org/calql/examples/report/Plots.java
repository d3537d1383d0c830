package org.calql.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.calql.train.Phase;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's PNG plots, drawn headless with XChart. Each method is a colour: its mean over seeds is a thick line,
 * the 95% Student-t interval of that mean a shaded band, and each seed a faint thin line. Plots over both phases
 * put pre-training evaluations at negative steps ({@code update − offlineSteps}, so pre-training ends at 0) and
 * fine-tuning evaluations at their environment step, with a labelled vertical line at the switch to online.
 */
public final class Plots {
    private static final Color[] PALETTE = {
        new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28), new Color(0x2c, 0xa0, 0x2c),
        new Color(0x94, 0x67, 0xbd), new Color(0xff, 0x7f, 0x0e)};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int PANEL_HEIGHT = 420;
    private static final String X_TITLE = "step (pre-training updates < 0 ≤ fine-tuning environment steps)";

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /** Success rate against step through both phases, per method: mean, 95% band, and each seed. */
    public static void finetune(Path file, List<EvaluationRow> rows, List<String> methods, long offlineSteps)
            throws IOException {
        XYChart chart = chart(WIDTH, HEIGHT, "Success rate of the deterministic policy (mean, 95% band over seeds, "
                + "each seed faint)", X_TITLE, "success rate");
        chart.getStyler().setYAxisMin(-0.02).setYAxisMax(1.08);
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            addMethod(chart, rows, method, MethodLabels.display(method), colour(m), offlineSteps,
                    EvaluationRow::successRate, 0.0, 1.0, false);
        }
        switchLine(chart, 1.04);
        save(file, chart);
    }

    /**
     * Cumulative regret (mean of {@code 1 − success} over the fine-tuning episodes so far) against the fine-tuning
     * environment step, per method: mean, 95% band, and each seed.
     */
    public static void regret(Path file, List<EvaluationRow> rows, List<String> methods) throws IOException {
        XYChart chart = chart(WIDTH, HEIGHT, "Cumulative regret in fine-tuning: mean of 1 − success over the "
                + "training episodes so far (lower is better)", "fine-tuning environment step", "cumulative regret");
        chart.getStyler().setYAxisMin(-0.02).setYAxisMax(1.02);
        List<EvaluationRow> online = new ArrayList<>();
        for (EvaluationRow r : rows) {
            if (r.phase() == Phase.FINETUNE) {
                online.add(r);
            }
        }
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            addMethod(chart, online, method, MethodLabels.display(method), colour(m), 0,
                    EvaluationRow::cumulativeRegret, 0.0, 1.0, false);
        }
        save(file, chart);
    }

    /**
     * Calibration, one panel per method on one shared value axis: learned {@code Q(s₀, π(s₀))} at the evaluation
     * start states (solid) against the discounted return the policy realised from them (dashed), each a mean with
     * its 95% band, through pre-training and fine-tuning, with the data's mean Monte-Carlo return at its start
     * states (dotted grey) when {@code behaviourReturn} is not NaN.
     */
    public static void calibration(Path file, List<EvaluationRow> rows, List<String> methods, long offlineSteps,
                                   double behaviourReturn) throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (EvaluationRow r : rows) {
            for (double y : new double[] {r.startQ(), r.realisedReturn()}) {
                if (Double.isFinite(y) && methods.contains(r.method())) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                    xMin = Math.min(xMin, r.timelineStep(offlineSteps));
                    xMax = Math.max(xMax, r.timelineStep(offlineSteps));
                }
            }
        }
        if (Double.isFinite(behaviourReturn)) {
            lo = Math.min(lo, behaviourReturn);
            hi = Math.max(hi, behaviourReturn);
        }
        double pad = Double.isFinite(lo) ? Math.max(1.0, 0.08 * (hi - lo)) : 1.0;
        List<XYChart> panels = new ArrayList<>();
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            String name = MethodLabels.display(method);
            XYChart chart = chart(WIDTH, PANEL_HEIGHT, name + ": learned Q at start states vs the return its policy "
                    + "realised (training reward scale; mean, 95% band)", X_TITLE, "value at start states");
            Color colour = colour(m);
            addMethod(chart, rows, method, name + ": learned Q(s₀, π(s₀))", colour, offlineSteps,
                    EvaluationRow::startQ, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
            addMethod(chart, rows, method, name + ": realised return", colour.darker(), offlineSteps,
                    EvaluationRow::realisedReturn, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
            if (Double.isFinite(behaviourReturn) && Double.isFinite(xMin)) {
                XYSeries b = chart.addSeries("data's Monte-Carlo return", new double[] {xMin, xMax},
                        new double[] {behaviourReturn, behaviourReturn});
                b.setLineColor(Color.DARK_GRAY);
                b.setMarker(SeriesMarkers.NONE);
                b.setLineStyle(SeriesLines.DOT_DOT);
            }
            if (Double.isFinite(lo)) {
                chart.getStyler().setYAxisMin(lo - pad).setYAxisMax(hi + 2 * pad);
                switchLine(chart, hi + pad);
            }
            panels.add(chart);
        }
        BufferedImage image = new BufferedImage(WIDTH, Math.max(1, panels.size()) * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
        }
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }

    /** A method's faint seed lines, its shaded 95% band and its thick mean line. */
    private static void addMethod(XYChart chart, List<EvaluationRow> rows, String method, String name, Color colour,
                                  long offlineSteps, ToDoubleFunction<EvaluationRow> y, double floor, double ceiling,
                                  boolean dashed) {
        Map<Long, List<EvaluationRow>> bySeed = new TreeMap<>();
        for (EvaluationRow r : rows) {
            if (r.method().equals(method)) {
                bySeed.computeIfAbsent(r.seed(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<Long, List<EvaluationRow>> e : bySeed.entrySet()) {
            double[][] xy = line(e.getValue(), offlineSteps, y);
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(name + " seed " + e.getKey(), xy[0], xy[1]);
            s.setLineColor(alpha(colour, 70));
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
            s.setLineStyle(new BasicStroke(1f));
        }
        double[][] band = band(rows, method, offlineSteps, y);
        if (band[0].length == 0) {
            return;
        }
        int n = band[0].length;
        if (bySeed.size() > 1) {
            double[] px = new double[2 * n];
            double[] py = new double[2 * n];
            for (int i = 0; i < n; i++) {
                px[i] = band[0][i];
                py[i] = Math.min(ceiling, band[3][i]);
                px[2 * n - 1 - i] = band[0][i];
                py[2 * n - 1 - i] = Math.max(floor, band[2][i]);
            }
            XYSeries area = chart.addSeries(name + " 95% band", px, py);
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            area.setFillColor(alpha(colour, 45));
            area.setLineColor(alpha(colour, 0));
            area.setMarker(SeriesMarkers.NONE);
            area.setShowInLegend(false);
        }
        XYSeries s = chart.addSeries(name + " (mean of " + bySeed.size() + " seed" + (bySeed.size() == 1 ? "" : "s")
                + ")", band[0], band[1]);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        s.setLineStyle(dashed ? new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {9f, 6f}, 0f) : new BasicStroke(3f));
    }

    private static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setAntiAlias(true);
        styler.setXAxisDecimalPattern("#,##0");
        return chart;
    }

    /** A labelled vertical line at step 0, the switch from pre-training to online fine-tuning. */
    private static void switchLine(XYChart chart, double labelY) {
        chart.getStyler().setAnnotationLineColor(Color.DARK_GRAY).setAnnotationLineStroke(new BasicStroke(2f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY)
                .setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.addAnnotation(new AnnotationLine(0, true, false));
        chart.addAnnotation(new AnnotationText("← pre-training (offline)  |  fine-tuning (online) →", 0, labelY,
                false));
    }

    private static void save(Path file, XYChart chart) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** One run's finite points in timeline order. */
    private static double[][] line(List<EvaluationRow> rows, long offlineSteps, ToDoubleFunction<EvaluationRow> y) {
        TreeMap<Double, Double> points = new TreeMap<>();
        for (EvaluationRow r : rows) {
            double v = y.applyAsDouble(r);
            if (Double.isFinite(v)) {
                points.put(r.timelineStep(offlineSteps), v);
            }
        }
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

    /** A method's mean over runs at each timeline step, with the 95% t-interval's ends: {xs, mean, lo, hi}. */
    static double[][] band(List<EvaluationRow> rows, String method, long offlineSteps,
                           ToDoubleFunction<EvaluationRow> y) {
        TreeMap<Double, List<Double>> values = new TreeMap<>();
        for (EvaluationRow r : rows) {
            double v = y.applyAsDouble(r);
            if (r.method().equals(method) && Double.isFinite(v)) {
                values.computeIfAbsent(r.timelineStep(offlineSteps), k -> new ArrayList<>()).add(v);
            }
        }
        double[][] out = new double[4][values.size()];
        int i = 0;
        for (Map.Entry<Double, List<Double>> e : values.entrySet()) {
            Stats s = Stats.of(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
            out[0][i] = e.getKey();
            out[1][i] = s.mean();
            out[2][i] = s.lo();
            out[3][i] = s.hi();
            i++;
        }
        return out;
    }

    /** A method's mean over runs at each timeline step: {xs, mean}. */
    static double[][] meanLine(List<EvaluationRow> rows, String method, long offlineSteps,
                               ToDoubleFunction<EvaluationRow> y) {
        double[][] b = band(rows, method, offlineSteps, y);
        return new double[][] {b[0], b[1]};
    }

    private static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
