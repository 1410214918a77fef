using CodeGenLstm;

// A new user's first program, built against the CodeGenLstm package: an LSTM learns to repeat the
// first number of a sequence at its end. .ci/steps/60-package.sh checks the build output and this output.
const int Batch = 16, Steps = 12;
var model = new Echo(seed: 1);
var adam = new Adam(Echo.ParameterCount, learningRate: 1e-2f);
var random = new Rng(3);
float[] input = new float[Batch * Steps], target = new float[Batch], output = new float[Batch], gradient = new float[Batch];
float first = 0, last = 0;
for (int update = 0; update < 300; update++)
{
    for (int i = 0; i < input.Length; i++) input[i] = random.NextFloat();
    for (int b = 0; b < Batch; b++) target[b] = input[b * Steps];
    model.ZeroGradients();
    model.Forward(input, Batch, Steps, output, training: true);
    float loss = Loss.MeanSquaredError(output, target, gradient);
    model.Backward(gradient);
    Clip.GlobalNorm(model.Gradients, 1f);
    adam.Step(model.Parameters, model.Gradients);
    if (update == 0) first = loss;
    last = loss;
}
Console.WriteLine($"package ok: {Echo.ParameterCount} parameters, {Simd.ActivePath}, loss {first:F4} -> {last:F4}, {(last < first / 4 ? "learned" : "NOT LEARNED")}");

[Lstm(inputSize: 1, hiddenSize: 8)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class Echo;

// CGL1001 expected on the next line: a plain tanh RNN over 100 steps (the gradient from far back vanishes).
[Rnn(inputSize: 1, hiddenSize: 8)]
[Training(SequenceLength = 100, ClipNorm = 1f)]
public partial class LongPlainRnn;

// CGL1015 expected on the next line, with no [Training] and no steps in sight: a ReLU RNN with the default
// uniform initialisation scales the gradient by about 0.58 per step back (it halves in about 1.3 steps).
[Rnn(inputSize: 4, hiddenSize: 256, Activation = Activation.Relu)]
public partial class ReluRnn;

// CGL0014 expected on the next line: [Training] on a class without layers.
[Training(SequenceLength = 12)]
public partial class Forgotten;
