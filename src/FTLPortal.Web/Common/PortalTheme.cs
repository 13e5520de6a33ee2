using MudBlazor;

namespace FTLPortal.Web.Common;

/// <summary>The portal's colours: every foreground/background pair used for text meets WCAG 2.1 AA (4.5:1).</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#5b4a8a",
            Tertiary = "#00695c",
            Info = "#0b5cad",
            Success = "#1b6e20",
            Warning = "#8a4b00",
            Error = "#b3261e",
            AppbarBackground = "#1f5f8b",
            AppbarText = "#ffffff",
            TextSecondary = "rgba(0,0,0,0.70)",
            ActionDefault = "rgba(0,0,0,0.70)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8cc4ee",
            PrimaryContrastText = "#0b1e2c",
            Secondary = "#c6b8f0",
            SecondaryContrastText = "#1c1433",
            Tertiary = "#7fd3c4",
            TertiaryContrastText = "#062420",
            Info = "#8fc3ff",
            InfoContrastText = "#061a30",
            Success = "#8bd48f",
            SuccessContrastText = "#082409",
            Warning = "#ffc27a",
            WarningContrastText = "#2e1800",
            Error = "#ffb4ab",
            ErrorContrastText = "#410002",
            AppbarBackground = "#1a2530",
            AppbarText = "#ffffff",
            TextSecondary = "rgba(255,255,255,0.78)",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
