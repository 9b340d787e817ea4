package io.thingpush.bench.device;

import java.time.Duration;
import java.util.List;

/** Everything a devices run needs, checked by the command line. */
record DeviceSettings(
    int devices,
    int apps,
    List<String> loads,
    Duration duration,
    Duration warmup,
    Duration jitWarmup,
    Duration answerWindow,
    int window,
    int padBytes,
    int clientThreads,
    List<String> serverJvm) {}
