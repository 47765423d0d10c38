package io.frameflow.operators.stats;

import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Site totals: the camera windows ({@link WindowStats}) of every camera of a site, keyed by site,
 * added up per window ({@link SiteTotals}) into {@code frames.sites}.
 *
 * <p>The cameras' windows arrive when each camera's own clock closes them, so a site waits for its
 * cameras: a site window goes out {@code lateness} after its first camera window arrived (arrival
 * time, the job's watermark), with the cameras that came by then. A camera window that arrives
 * later (a late camera, or a window that fired again with late frames; it replaces that camera's
 * earlier record) gives the site window again with the next {@code revision}, until twice {@code
 * lateness} after the first; after that it is counted ({@code frameflow_late_site_windows}) and
 * left out. So no camera delays its site by more than {@code lateness}.
 */
public class SiteWindows extends KeyedProcessFunction<String, WindowStats, SiteStats> {

    private static final long serialVersionUID = 1L;

    /** One site window in the making. A public POJO for keyed state. */
    public static class SiteWindow {
        public long firstArrival;
        public long windowEnd;
        public int revision = -1; // none emitted yet
        public Map<String, WindowStats> cameras = new HashMap<>();
        // what the last record of this window counted, so a revision's metrics add only its change
        public long emittedIn;
        public long emittedOut;
        public long emittedEntries;

        SiteMetrics.Emitted emitted() {
            return new SiteMetrics.Emitted(emittedIn, emittedOut, emittedEntries);
        }

        void emitted(SiteMetrics.Emitted e) {
            emittedIn = e.in();
            emittedOut = e.out();
            emittedEntries = e.entries();
        }

        public SiteWindow() {}
    }

    private final long latenessMs;

    private transient MapState<Long, SiteWindow> windows; // by window start
    private transient ValueState<Long> closedBefore; // windows starting before this are done
    private transient Counter late;
    private transient SiteMetrics metrics;

    public SiteWindows(Duration lateness) {
        this.latenessMs = lateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "site-windows",
                                        Types.LONG,
                                        TypeInformation.of(SiteWindow.class)));
        closedBefore =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("closed-before", Types.LONG));
        late =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(FrameFlowMetrics.GROUP)
                        .counter(FrameFlowMetrics.NAME_LATE_SITE_WINDOWS);
        metrics = new SiteMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(WindowStats camera, Context ctx, Collector<SiteStats> out)
            throws Exception {
        long start = camera.windowStart();
        Long closed = closedBefore.value();
        if (closed != null && start < closed) {
            late.inc();
            return;
        }
        SiteWindow w = windows.get(start);
        if (w == null) {
            w = new SiteWindow();
            w.firstArrival = arrival(ctx);
            w.windowEnd = camera.windowEnd();
            ctx.timerService().registerEventTimeTimer(w.firstArrival + latenessMs);
            ctx.timerService().registerEventTimeTimer(w.firstArrival + 2 * latenessMs + 1);
        }
        w.cameras.put(camera.camera(), camera);
        if (w.revision >= 0) {
            w.revision++;
            emit(
                    w,
                    SiteTotals.of(ctx.getCurrentKey(), start, w.windowEnd, w.revision, w.cameras),
                    out);
        }
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SiteStats> out)
            throws Exception {
        long closed = closedBefore.value() == null ? Long.MIN_VALUE : closedBefore.value();
        for (Iterator<Map.Entry<Long, SiteWindow>> it = windows.iterator(); it.hasNext(); ) {
            Map.Entry<Long, SiteWindow> e = it.next();
            SiteWindow w = e.getValue();
            if (w.revision < 0 && timestamp >= w.firstArrival + latenessMs) {
                w.revision = 0;
                emit(
                        w,
                        SiteTotals.of(ctx.getCurrentKey(), e.getKey(), w.windowEnd, 0, w.cameras),
                        out);
                e.setValue(w);
            }
            if (timestamp > w.firstArrival + 2 * latenessMs) {
                closed = Math.max(closed, e.getKey() + 1);
                it.remove();
            }
        }
        if (closed != Long.MIN_VALUE) {
            closedBefore.update(closed);
        }
        if (windows.isEmpty()) {
            windows.clear(); // drops the site's empty map too: state is the closed mark alone
        }
    }

    private void emit(SiteWindow w, SiteStats record, Collector<SiteStats> out) {
        w.emitted(metrics.window(record, w.emitted()));
        out.collect(record);
    }

    private static long arrival(Context ctx) {
        return ctx.timestamp() != null
                ? ctx.timestamp()
                : ctx.timerService().currentProcessingTime();
    }
}
