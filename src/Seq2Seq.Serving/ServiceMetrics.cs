using Prometheus;

namespace Seq2Seq.Serving;

/// <summary>
/// The service's own Prometheus metrics (running batch, queue, search time), in a registry of this service's own, so
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
        StepTexts = Factory.CreateHistogram("seq2seq_step_texts", "Texts searched by one step of the running batch (from one or several requests)",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        StepRows = Factory.CreateHistogram("seq2seq_step_rows", "Hypothesis rows computed by one step of the running batch (beams and filler rows included)",
            new HistogramConfiguration { Buckets = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
        StepTime = Factory.CreateHistogram("seq2seq_step_seconds", "Time of one step of the running batch (joining texts encoded, every search advanced one token)",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
        StepThreads = Factory.CreateHistogram("seq2seq_step_threads", "CPU threads one step of the running batch ran with (fixed by --threads, else following the machine's load)",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64] });
        QueueLength = Factory.CreateGauge("seq2seq_queue_length", "Requests waiting for the search worker");
        QueueWait = Factory.CreateHistogram("seq2seq_queue_wait_seconds", "Time a request waited in the queue before the worker took it",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        SearchTime = Factory.CreateHistogram("seq2seq_search_seconds", "Time from the worker taking a request to its last result",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        InFlight = Factory.CreateGauge("seq2seq_requests_in_flight", "API requests (/v1/...) being received, queued, searched or answered");
        Rejected = Factory.CreateCounter("seq2seq_rejected_total", "Requests refused before reaching the model", ["reason"]);
        AbandonedRequests = Factory.CreateCounter("seq2seq_abandoned_requests_total",
            "Requests dropped unanswered because their client went away, by where they were (queued, searching)", ["stage"]);
        AbandonedTexts = Factory.CreateCounter("seq2seq_abandoned_texts_total",
            "Texts (or pairs) of abandoned requests dropped before their search was done", ["kind"]);
    }

    public CollectorRegistry Registry { get; }
    public IMetricFactory Factory { get; }
    public Counter Texts { get; }
    public Histogram StepTexts { get; }
    public Histogram StepRows { get; }
    public Histogram StepTime { get; }
    public Histogram StepThreads { get; }
    public Gauge QueueLength { get; }
    public Histogram QueueWait { get; }
    public Histogram SearchTime { get; }
    public Gauge InFlight { get; }
    public Counter Rejected { get; }
    public Counter AbandonedRequests { get; }
    public Counter AbandonedTexts { get; }
}
