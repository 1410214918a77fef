namespace CodeGenLstm.Tests.Fuzzing;

// A model whose workspace can be made too large for an array with small spans: input 1 per step, one output per
// sequence, 4 * 256 = 1,024 gate floats per step, so 2,100,000 steps need 2.15e9 floats in one buffer
// (Array.MaxLength is 2,147,483,591) while the input is only 8.4 MB.
// The fuzzer calls its training Forward with those 2,100,000 steps (to be rejected), so CGL1012 reads them as the
// sequence length and warns about the forget bias: right for a model trained on them, not for this one.
#pragma warning disable CGL1012
[Lstm(inputSize: 1, hiddenSize: 256)][Dense(outputSize: 1, Readout = Readout.LastStep)] public partial class FuzzWideLastStep;
#pragma warning restore CGL1012
