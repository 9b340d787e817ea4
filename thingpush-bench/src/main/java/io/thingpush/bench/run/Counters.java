package io.thingpush.bench.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** A ThingPush node's counters, read from the Prometheus endpoint of its management port. */
public final class Counters {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Counters() {}

  /** Every {@code thingpush_…_total} sample, by its name and labels. */
  public static Map<String, Double> scrape(int managementPort)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> counters = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("thingpush_") && line.contains("_total")) {
        int space = line.lastIndexOf(' ');
        counters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return counters;
  }

  /** The sum of the samples of counter {@code name} over all its labels. */
  public static double sum(Map<String, Double> counters, String name) {
    double sum = 0;
    for (Map.Entry<String, Double> e : counters.entrySet()) {
      String key = e.getKey();
      if (key.equals(name) || key.startsWith(name + "{")) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
