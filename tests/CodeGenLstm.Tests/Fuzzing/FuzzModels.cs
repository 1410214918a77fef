namespace CodeGenLstm.Tests.Fuzzing;

// A model whose workspace can be made too large for an array with small spans: input 1 per step, one output per
// sequence, 4 * 256 = 1,024 gate floats per step, so 2,100,000 steps need 2.15e9 floats in one buffer
// (Array.MaxLength is 2,147,483,591) while the input is only 8.4 MB.
// The analyzers read T = 2,100,000 from the rejected training call of RejectedCallTests and rightly say a forget
// bias of 1 cannot carry that far (CGL1012); this model is never trained on long dependencies.
#pragma warning disable CGL1012
[Lstm(inputSize: 1, hiddenSize: 256)][Dense(outputSize: 1, Readout = Readout.LastStep)] public partial class FuzzWideLastStep;
#pragma warning restore CGL1012
