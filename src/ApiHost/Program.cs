using OwlFactory.ApiHost;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Cluster;
using OwlFactory.ApiHost.Frontend;
using OwlFactory.ApiHost.Health;
using OwlFactory.ApiHost.Http;
using OwlFactory.Database.Logging;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var connectionString = builder.Configuration.GetConnectionString("Owl")
    ?? throw new InvalidOperationException("ConnectionStrings:Owl is not set.");
builder.AddSystemLogs(connectionString, "api");
builder.AddOwlClusterClient(connectionString);
builder.Services.AddOwlMetrics();
builder.Services.AddShutdownDrain();
builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
builder.AddOwlHttp();
builder.Services.AddOwlAuth();
builder.Services.AddOwlApiServices(connectionString);

var app = builder.Build();

// Fail at start, not at the first request, when the signing key is missing outside Development.
_ = app.Services.GetRequiredService<SigningKeyProvider>();

app.UseSecurityHeaders();
app.Use(RequestOperation.Capture);
app.UseForwardedHeaders();
app.UseFrontDoorGate();
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeEnvelopes.WriteAsync);
app.UseWebConsole();
app.UseAuthentication();
app.UseAuthorization();
app.Use(SessionValidator.ForgetOwnChanges);
app.MapOwlEndpoints();

app.Run();
