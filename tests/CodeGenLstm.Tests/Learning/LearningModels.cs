namespace CodeGenLstm.Tests.Learning;

[Lstm(inputSize: 2, hiddenSize: 16)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class AddingLstm;

[Gru(inputSize: 2, hiddenSize: 16)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class AddingGru;

[Embedding(vocabularySize: 6, dimension: 8)]
[Lstm(hiddenSize: 16, bidirectional: true)]
[Dense(outputSize: 6, Readout = Readout.LastStep)]
public partial class FirstTokenModel;
