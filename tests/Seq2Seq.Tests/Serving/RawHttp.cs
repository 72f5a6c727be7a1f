using System.Globalization;
using System.Text;

namespace Seq2Seq.Tests.Serving;

/// <summary>Reads an HTTP/1.1 response from a raw connection (closed by the server after it), for tests that write requests byte by byte.</summary>
public static class RawHttp
{
    /// <summary>The status code and the body (chunked transfer decoded).</summary>
    public static async Task<(int Status, string Body)> ReadResponseAsync(Stream stream)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all);
        string text = Encoding.UTF8.GetString(all.ToArray());
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return (0, text);
        string head = text[..end];
        string body = text[(end + 4)..];
        int status = int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture);
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return (status, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var bytes = Encoding.UTF8.GetBytes(chunked);
        int at = 0;
        while (at < bytes.Length)
        {
            int line = Array.IndexOf(bytes, (byte)'\n', at);
            int size = int.Parse(Encoding.ASCII.GetString(bytes, at, line - at).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) break;
            body.Append(Encoding.UTF8.GetString(bytes, line + 1, size));
            at = line + 1 + size + 2;
        }
        return body.ToString();
    }
}
