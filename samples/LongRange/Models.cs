using CodeGenLstm;

namespace LongRange;

// The adding problem (Hochreiter and Schmidhuber 1997): each step carries a random number and a
// marker; the answer, read at the last step, is the sum of the two marked numbers. The marks are far
// apart, so the model must carry information across the whole sequence.

/// <summary>An LSTM: the memory cell carries the first marked number to the end.</summary>
[Lstm(inputSize: 2, hiddenSize: 32)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
[Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AddingLstm;

/// <summary>A plain tanh RNN of the same width: its gradient from 50 steps back vanishes.</summary>
[Rnn(inputSize: 2, hiddenSize: 32)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
[Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AddingRnn;
