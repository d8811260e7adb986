// The three-equation New Keynesian model of nk3.yaml (linear, deviations from steady state).
var x pi i v;
varexo eps_v;
parameters beta sigma kappa phi_pi phi_y rho_v;
beta = 0.99; sigma = 1; kappa = 0.1; phi_pi = 1e9; phi_y = 0.125; rho_v = 0.5;

model(linear);
  x = x(+1) - (1/sigma)*(i - pi(+1));   // IS curve
  pi = beta*pi(+1) + kappa*x;            // Phillips curve
  i = phi_pi*pi + phi_y*x + v;           // Taylor rule
  v = rho_v*v(-1) + eps_v;               // monetary policy shock
end;

shocks;
  var eps_v; stderr 0.0025;
end;

steady;
check;
stoch_simul(order=1, irf=12, ar=3, nograph);
