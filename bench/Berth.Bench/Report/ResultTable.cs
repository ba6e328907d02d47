using System.Globalization;
using System.Text;

namespace Berth.Bench.Report;

/// <summary>The rows of one run, printed as an aligned text table and as markdown for docs/benchmarks.md.</summary>
public sealed class ResultTable
{
    private static readonly string[] Headers = ["workload", "Berth", "peer", "peer value", "ratio", "unit", "Berth peak RSS MiB", "note"];

    private readonly List<Row> _rows = [];
    private readonly List<string> _facts = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Add(Row row)
    {
        lock (_rows)
        {
            _rows.Add(row);
        }

        BenchContext.Log($"{row.Workload}: Berth {Format(row.Berth)} | {row.PeerName} {Format(row.Peer)} {row.Unit} {(row.Note.Length > 0 ? "(" + row.Note + ")" : string.Empty)}");
    }

    /// <summary>A line printed under the table (machine, versions, process peaks).</summary>
    public void AddFact(string fact) => _facts.Add(fact);

    public string ToText()
    {
        var cells = Cells();
        var widths = new int[Headers.Length];
        foreach (var line in cells.Prepend(Headers))
        {
            for (var i = 0; i < line.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        var text = new StringBuilder();
        string? group = null;
        text.AppendLine(Line(Headers, widths));
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        for (var r = 0; r < _rows.Count; r++)
        {
            if (_rows[r].Group != group)
            {
                group = _rows[r].Group;
                text.AppendLine(CultureInfo.InvariantCulture, $"[{group}]");
            }

            text.AppendLine(Line(cells[r], widths));
        }

        foreach (var fact in _facts)
        {
            text.AppendLine(fact);
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| group | " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", Headers.Length)));
        var cells = Cells();
        for (var r = 0; r < _rows.Count; r++)
        {
            text.AppendLine("| " + _rows[r].Group + " | " + string.Join(" | ", cells[r].Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        text.AppendLine();
        foreach (var fact in _facts)
        {
            text.AppendLine("- " + fact);
        }

        return text.ToString();
    }

    public static string Format(double? value) => value switch
    {
        null => "-",
        double v when double.IsNaN(v) => "-",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.Value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("F2", CultureInfo.InvariantCulture),
    };

    private static string Line(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i is 1 or 3 or 4 or 6 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    private List<string[]> Cells() =>
        _rows.Select(r => new[]
        {
            r.Workload,
            Format(r.Berth),
            r.PeerName.Length == 0 ? "-" : r.PeerName,
            Format(r.Peer),
            r.Ratio is { } ratio ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "-",
            r.Unit,
            Format(r.BerthPeakRssMiB),
            r.Note,
        }).ToList();
}
