using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The runtime's work splits, checked by their defining properties: every item belongs to exactly one part,
/// parts are contiguous and in order, cut at whole chunks, and shares differ by at most one chunk.
/// </summary>
public class WorkSplitTests
{
    [Theory]
    [InlineData(0, 64, 2)]
    [InlineData(1, 64, 2)]
    [InlineData(64, 64, 2)]
    [InlineData(65, 64, 2)]
    [InlineData(1000, 64, 3)]
    [InlineData(1000, 1, 7)]
    [InlineData(7, 16, 8)]
    [InlineData(4096, 64, 2)]
    public void SplitCoversEveryItemOnceInWholeChunks(int count, int chunk, int parts)
    {
        int next = 0, smallest = int.MaxValue, largest = 0;
        for (int part = 0; part < parts; part++)
        {
            SharedKernels.Split(count, chunk, part, parts, out int start, out int end);
            Assert.Equal(next, start);
            Assert.True(end >= start, $"part {part}: [{start}, {end})");
            Assert.True(start == count || start % chunk == 0, $"part {part} starts at {start}, inside a chunk of {chunk}");
            next = end;
            int chunks = (end - start + chunk - 1) / chunk;
            smallest = System.Math.Min(smallest, chunks);
            largest = System.Math.Max(largest, chunks);
        }
        Assert.Equal(count, next);
        Assert.True(largest - smallest <= 1, $"shares of {smallest} to {largest} chunks");
    }

    [Theory]
    [InlineData(6, 64, 2)]
    [InlineData(6, 128, 2)]
    [InlineData(33, 1024, 2)]
    [InlineData(17, 200, 3)]
    [InlineData(5, 16, 4)]
    public void SplitProductCoversEveryElementOnce(int rows, int columns, int parts)
    {
        var owner = new int[rows, columns];
        for (int part = 0; part < parts; part++)
        {
            SharedKernels.SplitProduct(rows, columns, part, parts, out int r0, out int r1, out int c0, out int c1);
            for (int r = r0; r < r1; r++)
                for (int c = c0; c < c1; c++)
                    owner[r, c]++;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Assert.True(owner[r, c] == 1, $"element [{r}, {c}] computed {owner[r, c]} times");
    }
}
