using CodeGenLstm;

namespace LongRange;

// Four models, two tasks, two cells. The attributes are the whole model: the generator writes the
// rest (read it under obj/Release/net10.0/generated/CodeGenLstm.Generators/). [Training] states how
// each is trained, so that the analyzers can judge the configuration at build time: a plain RNN over
// sequences of 100 steps is the textbook case of vanishing gradients (Bengio et al. 1994).

/// <summary>The adding problem with an LSTM: the memory cell carries the first marked number to the end.</summary>
[Lstm(inputSize: 2, hiddenSize: 32)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
[Training(SequenceLength = 100, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AddingLstm;

/// <summary>The adding problem with a plain tanh RNN of the same width.</summary>
[Rnn(inputSize: 2, hiddenSize: 32)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
[Training(SequenceLength = 100, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AddingRnn;

/// <summary>Subject-verb agreement with an LSTM: words in, "is" or "are" out.</summary>
[Embedding(vocabularySize: 48, dimension: 16)]
[Lstm(hiddenSize: 32)]
[Dense(outputSize: 2, Readout = Readout.LastStep)]
[Training(SequenceLength = 62, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AgreementLstm;

/// <summary>Subject-verb agreement with a plain tanh RNN.</summary>
[Embedding(vocabularySize: 48, dimension: 16)]
[Rnn(hiddenSize: 32)]
[Dense(outputSize: 2, Readout = Readout.LastStep)]
[Training(SequenceLength = 62, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
public partial class AgreementRnn;
