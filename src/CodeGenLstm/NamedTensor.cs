namespace CodeGenLstm;

/// <summary>
/// A tensor with a PyTorch state_dict name, its shape, and its values in row-major order.
/// Record equality compares the array references; compare <see cref="Data"/> with SequenceEqual.
/// </summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data);
