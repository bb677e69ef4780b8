using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>One method's IL as the JIT counts it: one instruction per opcode, nops included.</summary>
    /// <param name="Key">"Type.Method/parameter count".</param>
    /// <param name="Bytes">The IL's size: past 60,000 bytes the JIT compiles a method with MinOpts too, whatever its instructions.</param>
    /// <param name="LocalReferences">Loads, stores and addresses of locals and arguments: past 8,000 the JIT compiles with MinOpts too.</param>
    internal sealed record MethodIl(string Key, int Instructions, int Nops, int Locals, int Bytes = 0, int LocalReferences = 0);

    /// <summary>Compiles in Release, as users ship, and counts the IL of every method with a body.</summary>
    internal static class IlCounter
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue =
            typeof(OpCodes).GetFields().Select(f => (OpCode)f.GetValue(null)!).ToDictionary(op => op.Value);

        public static IReadOnlyList<MethodIl> Methods(Compilation compilation)
        {
            using var stream = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult result = compilation
                .WithOptions(compilation.Options.WithOptimizationLevel(OptimizationLevel.Release))
                .Emit(stream);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics.Take(5)));
            stream.Position = 0;
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            var methods = new List<MethodIl>();
            foreach (TypeDefinitionHandle typeHandle in metadata.TypeDefinitions)
            {
                TypeDefinition type = metadata.GetTypeDefinition(typeHandle);
                foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
                {
                    MethodDefinition method = metadata.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }

                    MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    byte[] il = body.GetILBytes()!;
                    (int instructions, int nops, int references) = Count(il);
                    methods.Add(new MethodIl(
                        $"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}/{method.GetParameters().Count}",
                        instructions,
                        nops,
                        Locals(metadata, body),
                        il.Length,
                        references));
                }
            }

            return methods;
        }

        private static int Locals(MetadataReader metadata, MethodBodyBlock body)
        {
            if (body.LocalSignature.IsNil)
            {
                return 0;
            }

            BlobReader signature = metadata.GetBlobReader(metadata.GetStandaloneSignature(body.LocalSignature).Signature);
            signature.ReadByte();
            return signature.ReadCompressedInteger();
        }

        private static (int Instructions, int Nops, int LocalReferences) Count(byte[] il)
        {
            int count = 0, nops = 0, references = 0;
            for (int i = 0; i < il.Length; count++)
            {
                OpCode op = OpCodesByValue[il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i]];
                nops += op.Value == OpCodes.Nop.Value ? 1 : 0;
                references += op.Name!.StartsWith("ldloc", StringComparison.Ordinal) || op.Name.StartsWith("stloc", StringComparison.Ordinal)
                    || op.Name.StartsWith("ldarg", StringComparison.Ordinal) || op.Name.StartsWith("starg", StringComparison.Ordinal) ? 1 : 0;
                i += op.Size;
                i += op.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                    _ => 4,
                };
            }

            return (count, nops, references);
        }
    }
}
