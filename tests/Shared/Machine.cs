using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace CodeGenLstm.TestSupport;

/// <summary>
/// The machine a peer ran on, in the words a bug report needs: the CPU's name and family, the vector
/// instruction sets a native library such as oneDNN may dispatch on (AVX-512 and its BF16, VNNI and AMX
/// extensions), and the environment variables that steer that dispatch. Shared by the parity tests and the
/// benchmarks (linked into both), which name the machine whenever a peer is wrong on it.
/// </summary>
public static class Machine
{
    /// <summary>"AMD EPYC (family 26, model 2); AVX-512 F/BW/VL/BF16/VNNI; .NET Vector512"; cached.</summary>
    public static string Description { get; } = Describe();

    private static string Describe()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string family = "", model = "";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon < 0) continue;
                    string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                    if (key == "model name" && cpu == RuntimeInformation.ProcessArchitecture.ToString()) cpu = value;
                    else if (key == "cpu family" && family.Length == 0) family = value;
                    else if (key == "model" && model.Length == 0) model = value;
                    else if (key == "flags" && flags.Count == 0) flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    if (line.Length == 0 && flags.Count > 0) break;   // the first processor is enough
                }
            }
        }
        catch (IOException)
        {
            // No /proc: the architecture alone.
        }

        string identity = family.Length > 0 ? $"{cpu} (family {family}, model {model})" : cpu;
        var isa = new List<string>();
        if (flags.Contains("avx512f"))
        {
            string[] parts = { "avx512f:F", "avx512bw:BW", "avx512vl:VL", "avx512_bf16:BF16", "avx512_vnni:VNNI", "avx512_fp16:FP16" };
            isa.Add("AVX-512 " + string.Join('/', parts.Select(p => p.Split(':')).Where(p => flags.Contains(p[0])).Select(p => p[1])));
        }
        else if (flags.Contains("avx2"))
        {
            isa.Add("AVX2" + (flags.Contains("fma") ? "+FMA" : ""));
        }
        if (flags.Any(f => f.StartsWith("amx", StringComparison.Ordinal))) isa.Add("AMX");
        if (flags.Contains("avx_vnni")) isa.Add("AVX-VNNI");
        string steering = string.Join(", ", new[] { "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY" }
            .Select(v => (v, Environment.GetEnvironmentVariable(v))).Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.v}={p.Item2}"));
        return identity + (isa.Count > 0 ? "; " + string.Join(", ", isa) : "") + (steering.Length > 0 ? "; " + steering : "");
    }
}
