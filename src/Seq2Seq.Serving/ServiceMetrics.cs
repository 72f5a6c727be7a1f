using Prometheus;

namespace Seq2Seq.Serving;

/// <summary>
/// The service's own Prometheus metrics (batching, queue, search time), in a registry of this service's own, so
/// several services in one process (tests) never mix their counts. HTTP request counts and the latency
/// histogram come from prometheus-net's middleware on the same registry.
/// </summary>
public sealed class ServiceMetrics
{
    public ServiceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        Texts = Factory.CreateCounter("seq2seq_texts_total", "Texts translated or pairs scored", ["kind"]);
        Searches = Factory.CreateCounter("seq2seq_searches_total", "Batched searches run by the worker");
        BatchRows = Factory.CreateHistogram("seq2seq_batch_rows", "Texts per batched search (from one or several requests)",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        BatchRequests = Factory.CreateHistogram("seq2seq_batch_requests", "Requests merged into one batched search",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64] });
        QueueLength = Factory.CreateGauge("seq2seq_queue_length", "Requests waiting for the search worker");
        QueueWait = Factory.CreateHistogram("seq2seq_queue_wait_seconds", "Time a request waited before its search started",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        SearchTime = Factory.CreateHistogram("seq2seq_search_seconds", "Time of one batched search",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        InFlight = Factory.CreateGauge("seq2seq_requests_in_flight", "API requests (/v1/...) being received, queued, searched or answered");
        Rejected = Factory.CreateCounter("seq2seq_rejected_total", "Requests refused before reaching the model", ["reason"]);
    }

    public CollectorRegistry Registry { get; }
    public IMetricFactory Factory { get; }
    public Counter Texts { get; }
    public Counter Searches { get; }
    public Histogram BatchRows { get; }
    public Histogram BatchRequests { get; }
    public Gauge QueueLength { get; }
    public Histogram QueueWait { get; }
    public Histogram SearchTime { get; }
    public Gauge InFlight { get; }
    public Counter Rejected { get; }
}
