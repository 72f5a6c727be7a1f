using System.Buffers.Binary;
using Tensorboard;

namespace Seq2Seq.Tests.Support;

/// <summary>
/// Reads a TensorBoard event file back as TensorBoard does, checking the TFRecord framing: uint64 length,
/// masked CRC-32C of the length, Event proto, masked CRC-32C of the proto. Its CRC-32C is written here from
/// the definition, independent of the one the writer uses.
/// </summary>
internal static class EventFileReader
{
    public static List<Event> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (int at = 0; at < bytes.Length;)
        {
            Assert.True(bytes.Length - at >= 12, $"record header cut short at byte {at}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            Assert.Equal(MaskedCrc(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            int data = at + 12;
            Assert.True(length <= (ulong)(bytes.Length - data - 4), $"record at byte {at} runs past the end of the file");
            var payload = bytes.AsSpan(data, (int)length);
            Assert.Equal(MaskedCrc(payload), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(data + (int)length)));
            events.Add(Event.Parser.ParseFrom(payload.ToArray()));
            at = data + (int)length + 4;
        }
        return events;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        uint crc = ~0u;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
        }
        return ~crc;
    }

    private static uint MaskedCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = Crc32C(bytes);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
