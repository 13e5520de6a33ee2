var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "FTL Portal");
app.Run();

public partial class Program;
