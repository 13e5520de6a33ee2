using System.Runtime.InteropServices;
using TorchSharp;

namespace FTLPortal.Learning.TorchSharp;

/// <summary>
/// Turns libtorch's oneDNN (MKL-DNN) CPU kernels on or off, process-wide (<c>torch.backends.mkldnn.enabled</c> in Python).
/// TorchSharp does not expose the switch, so this calls libtorch's own <c>at::globalContext().setUserEnabledMkldnn(bool)</c>.
/// </summary>
/// <remarks>
/// Why: with libtorch 2.10.0 (oneDNN 3.7.1) on an AMD EPYC with AVX-512, the float32 convolution's input gradient
/// (oneDNN's backward-data kernel, avx512_core and avx2 alike) is wrong whenever the output channels are not a multiple of
/// its block, by 30–90 % relative and at times NaN, while forward and weight gradients are right; a CNN's second
/// convolution then sends a wrong gradient to everything below it. With oneDNN off libtorch uses its own im2col kernels,
/// which agree with float64 to 1e-7 (ConvolutionGradientTests).
/// </remarks>
internal static class OneDnnSwitch
{
    // Itanium C++ ABI names of the libtorch 2.10 functions (GCC on Linux); the member function takes `this` first.
    private const string GlobalContextSymbol = "_ZN2at13globalContextEv";
    private const string SetEnabledSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string IsEnabledSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool IsEnabled(IntPtr context);

    /// <summary>Whether libtorch would use oneDNN where it can; null where the switch cannot be reached (not Linux).</summary>
    public static bool? Enabled
    {
        get
        {
            if (!TryLoad(out IntPtr library))
            {
                return null;
            }

            IntPtr context = Export<GlobalContext>(library, GlobalContextSymbol)();
            return Export<IsEnabled>(library, IsEnabledSymbol)(context);
        }
    }

    /// <summary>Sets the switch; a no-op where it cannot be reached (only Linux builds of libtorch are deployed).</summary>
    public static void Set(bool enabled)
    {
        if (!TryLoad(out IntPtr library))
        {
            return;
        }

        IntPtr context = Export<GlobalContext>(library, GlobalContextSymbol)();
        Export<SetEnabled>(library, SetEnabledSymbol)(context, enabled);
    }

    private static bool TryLoad(out IntPtr library)
    {
        library = IntPtr.Zero;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // TorchSharp loads libtorch on first use; after that the loader finds the loaded copy by its soname.
        torch.InitializeDeviceType(DeviceType.CPU);
        library = NativeLibrary.Load("libtorch_cpu.so");
        return true;
    }

    private static T Export<T>(IntPtr library, string symbol)
        where T : Delegate
    {
        if (!NativeLibrary.TryGetExport(library, symbol, out IntPtr address))
        {
            throw new InvalidOperationException(
                $"libtorch_cpu.so has no '{symbol}': this libtorch is not {TorchSharpEngine.LibTorchVersion}, and the TorchSharp engine cannot turn oneDNN off.");
        }

        return Marshal.GetDelegateForFunctionPointer<T>(address);
    }
}
