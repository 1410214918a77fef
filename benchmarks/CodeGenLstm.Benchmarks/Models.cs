using CodeGenLstm;

namespace CodeGenLstm.Benchmarks;

// The models of the grid, declared as a user declares them. Every size is a compile-time constant of
// the generated code, so each configuration is its own class.

[Lstm(inputSize: 64, hiddenSize: 64)] public partial class Lstm64;
[Lstm(inputSize: 256, hiddenSize: 256)] public partial class Lstm256;
[Lstm(inputSize: 1024, hiddenSize: 1024)] public partial class Lstm1024;
[Lstm(inputSize: 256, hiddenSize: 256, layers: 2, bidirectional: true)] public partial class BiLstm256x2;
[Gru(inputSize: 256, hiddenSize: 256)] public partial class Gru256;
[Rnn(inputSize: 256, hiddenSize: 256)] public partial class Rnn256;

// Braun 2018, "LSTM benchmarks for deep learning frameworks": 125 inputs, 320 hidden, 100 steps,
// batch 64, a 10-class read-out of the last step.
[Lstm(inputSize: 125, hiddenSize: 320)]
[Dense(outputSize: 10, Readout = Readout.LastStep)]
public partial class Braun320;
