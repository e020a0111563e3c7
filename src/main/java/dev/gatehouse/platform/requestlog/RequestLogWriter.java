package dev.gatehouse.platform.requestlog;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;

/**
 * Writes the request log lines from a thread of its own, so that a request never waits for a log handler.
 * java.util.logging's handlers write under a lock: when their output is slow (a console piped into a busy
 * reader), request threads queue on that lock (bench/journal/2026-11-28-authenticated-request-profile.md, finding 4). Requests only queue their line
 * here. The queue is bounded; only when it is full does a request wait, so no line is ever lost.
 */
@ApplicationScoped
public class RequestLogWriter {

    private static final Logger LOG = Logger.getLogger("gatehouse.request");
    private static final int CAPACITY = 10_000;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean running = true;
    private Thread writer;

    @Resource
    ManagedThreadFactory threads;

    @PostConstruct
    void start() {
        writer = threads.newThread(this::writeQueued);
        writer.setName("gatehouse-request-log");
        writer.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
        for (String line = lines.poll(); line != null; line = lines.poll()) {
            LOG.info(line);
        }
    }

    void write(String line) {
        if (!running) {
            LOG.info(line);
            return;
        }
        try {
            lines.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info(line);
        }
    }

    private void writeQueued() {
        while (running) {
            try {
                LOG.info(lines.take());
            } catch (InterruptedException e) {
                return; // stopping: stop() writes what is left
            }
        }
    }
}
