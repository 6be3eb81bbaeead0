package io.spoepolicy.loadgen;

import java.time.Duration;

import one.profiler.AsyncProfiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Benchmark-only bean, added to an agent under test with {@code --spring.main.sources}: runs
 * async-profiler inside the agent for a window that starts after the load generator's warm-up,
 * so start-up and JIT warm-up stay out of the profile. Configured by system properties
 * {@code bench.profile.file}, {@code .delay}, {@code .duration} and {@code .event}.
 */
public class ProfilerControl implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProfilerControl.class);

    private Thread thread;

    @Override
    public void afterPropertiesSet() {
        String file = System.getProperty("bench.profile.file");
        if (file == null) {
            return;
        }
        long delay = Duration.parse(System.getProperty("bench.profile.delay", "PT15S")).toMillis();
        long duration = Duration.parse(System.getProperty("bench.profile.duration", "PT20S")).toMillis();
        String event = System.getProperty("bench.profile.event", "cpu");
        thread = new Thread(() -> profile(file, delay, duration, event), "bench-profiler");
        thread.setDaemon(true);
        thread.start();
    }

    private static void profile(String file, long delay, long duration, String event) {
        try {
            Thread.sleep(delay);
            AsyncProfiler profiler = AsyncProfiler.getInstance();
            String started;
            try {
                started = profiler.execute("start," + options(event));
            }
            catch (IllegalStateException | java.io.IOException ex) {
                log.warn("async-profiler event {} unavailable ({}), using itimer", event, ex.getMessage());
                started = profiler.execute("start,event=itimer,interval=1000000");
            }
            log.info("async-profiler: {}", started.trim());
            Thread.sleep(duration);
            profiler.execute("stop,file=" + file + (file.endsWith(".html") ? "" : ",collapsed"));
            String flat = file.replaceAll("\\.[a-z]+$", "") + "-flat.txt";
            log.info("async-profiler: profile written to {} ({})", file, flat);
            java.nio.file.Files.writeString(java.nio.file.Path.of(flat), profiler.dumpFlat(40));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            log.warn("async-profiler failed", ex);
        }
    }

    private static String options(String event) {
        return event.equals("alloc") ? "event=alloc,alloc=65536" : "event=" + event + ",alluser,interval=1000000";
    }

    @Override
    public void destroy() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
