using System.Buffers.Binary;
using Google.Protobuf;
using Tensorboard;

namespace Seq2Seq.Training;

/// <summary>
/// Appends TensorBoard events to a new event file, <c>events.out.tfevents.TIME.HOST.PID.N</c>, in a folder.
/// Each event is a TFRecord: little-endian uint64 length, masked CRC-32C of those 8 bytes, the <c>Event</c>
/// proto, masked CRC-32C of the proto; it is written in one piece and flushed, so TensorBoard shows a run
/// live and a crash loses at most the event being written.
/// </summary>
/// <remarks>
/// TorchSharp's <c>SummaryWriter</c> writes this format, but takes images only as pixel tensors or files it
/// decodes and re-encodes, keeps whole-second wall times and cannot mark where a resumed run restarts. This
/// writer reuses its protobuf classes and CRC-32C and adds those three.
/// </remarks>
internal sealed class EventFileWriter : IDisposable
{
    private static int s_files;
    private readonly FileStream _stream;

    /// <summary>Creates the folder when needed and starts a new file there (one per writer, never appended to twice).</summary>
    public EventFileWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        // TensorBoard reads a folder's files in name order, so the name starts with the time, as TensorFlow's does.
        FilePath = Path.Combine(directory,
            $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref s_files)}");
        _stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        Write(new Event { FileVersion = "brain.Event:2" });
    }

    public string FilePath { get; }

    /// <summary>One point of the scalar curve <paramref name="tag"/> (TensorBoard stores scalars as float).</summary>
    public void Scalar(string tag, double value, long step) =>
        Write(new Event { Step = step, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = (float)value } } } });

    /// <summary>An image for <paramref name="tag"/> at <paramref name="step"/>, given as an encoded PNG.</summary>
    public void Image(string tag, byte[] png, int width, int height, long step)
    {
        // Colorspace 4 is RGBA, what the PNG encoder writes; TensorBoard shows the encoded bytes as they are.
        var image = new Summary.Types.Image { Width = width, Height = height, Colorspace = 4, EncodedImageString = ByteString.CopyFrom(png) };
        Write(new Event { Step = step, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, Image = image } } } });
    }

    /// <summary>
    /// Marks a restart at <paramref name="step"/>: TensorBoard discards events of earlier files from that step
    /// on (PyTorch's <c>purge_step</c>), so steps a crashed process logged after its last checkpoint and a
    /// resumed run trains again do not show twice.
    /// </summary>
    public void StartAt(long step) =>
        Write(new Event { Step = step, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });

    private void Write(Event @event)
    {
        @event.WallTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        byte[] data = @event.ToByteArray();
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record[..8]));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        _stream.Write(record);
        _stream.Flush();
    }

    /// <summary>TFRecord's masked CRC: CRC-32C rotated right by 15 bits plus a constant.</summary>
    private static uint MaskedCrc(byte[] bytes)
    {
        uint crc = TorchSharp.Utils.CRC32C.process(bytes);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    public void Dispose() => _stream.Dispose();
}
