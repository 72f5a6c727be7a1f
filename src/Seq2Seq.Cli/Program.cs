using System.CommandLine;
using Seq2Seq.Cli;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Runtime;

AllocatorTuning.Apply();
var root = new RootCommand("Seq2Seq: neural machine translation with a BiLSTM encoder and Bahdanau attention, on TorchSharp.")
{
    PrepareCommand.Create(),
    TrainCommand.Create(),
    TranslateCommand.Create(),
    ScoreCommand.Create(),
    AttentionCommand.Create(),
    EvaluateCommand.Create(),
    AverageCommand.Create(),
    DemoCommand.Create(),
    ServeCommand.Create(),
};
return await CommandRunner.InvokeAsync(root, args);
